using AgentPassport.ConventionTests.Support;

namespace AgentPassport.ConventionTests;

/// <summary>
/// One prefix convention (CONTRIBUTING.md, "Naming"): domain types are <c>Passport*</c> (or a plain domain noun such as
/// <c>ScopeSet</c>); <c>AgentPassport*</c> is kept for the package-level entry points; a type placed in a host's
/// namespace (Microsoft.SemanticKernel, Microsoft.Extensions.AI, ...) is a static <c>Passport*Extensions</c> class named for
/// the host type it extends, or an extension class of the <c>AddAgentPassport</c> registration.
/// </summary>
public sealed class TypeNamePrefixTests
{
    /// <summary>The package-level entry points: the only types in our namespaces that carry the product name.</summary>
    internal static readonly IReadOnlySet<string> EntryPoints = new HashSet<string>(StringComparer.Ordinal)
    {
        "AgentPassportBuilder",
        "AgentPassportException",
        "AgentPassportOptions",
    };

    private static readonly AllowList Exceptions = new("Public type names follow the prefix convention", new Dictionary<string, string>
    {
    });

    [Fact]
    public void Public_type_names_follow_the_prefix_convention()
    {
        var types = PublicSurface.Types(SourceProjects.Assemblies).Where(t => t.DeclaringType is null).ToList();
        Assert.Contains(types, t => t.Namespace == "Microsoft.SemanticKernel");
        Exceptions.Check(types
            .Where(t => Violation(t.Namespace ?? "", t.Name, IsStaticClass(t)) is not null)
            .Select(t => $"{t.FullName}: {Violation(t.Namespace ?? "", t.Name, IsStaticClass(t))}"));
    }

    [Theory]
    [InlineData("AgentPassport", "PassportVerifier", false)]
    [InlineData("AgentPassport", "ScopeSet", false)]
    [InlineData("AgentPassport", "AgentPassportException", false)]
    [InlineData("AgentPassport.SemanticKernel", "PassportKernelOptions", false)]
    [InlineData("Microsoft.SemanticKernel", "PassportKernelExtensions", true)]
    [InlineData("Microsoft.Extensions.DependencyInjection", "AgentPassportServiceCollectionExtensions", true)]
    [InlineData("Microsoft.Extensions.DependencyInjection", "SemanticKernelAgentPassportBuilderExtensions", true)]
    public void The_check_passes_names_that_follow_the_convention(string ns, string name, bool isStatic) =>
        Assert.Null(Violation(ns, name, isStatic));

    [Theory]
    [InlineData("AgentPassport", "AgentPassportVerifier", false)]
    [InlineData("AgentPassport.SemanticKernel", "AgentPassportKernelOptions", false)]
    [InlineData("Microsoft.SemanticKernel", "KernelPassportExtensions", true)]
    [InlineData("Microsoft.SemanticKernel", "PassportKernelExtensions", false)]
    [InlineData("Microsoft.SemanticKernel", "PassportKernelHelper", true)]
    [InlineData("Microsoft.SemanticKernel", "AgentPassportKernelExtensions", true)]
    public void The_check_flags_names_that_break_the_convention(string ns, string name, bool isStatic) =>
        Assert.NotNull(Violation(ns, name, isStatic));

    /// <summary>Why a top-level public type's name breaks the convention, or null when it follows it.</summary>
    internal static string? Violation(string ns, string name, bool isStaticClass)
    {
        var ours = ns == "AgentPassport" || ns.StartsWith("AgentPassport.", StringComparison.Ordinal);
        if (ours)
        {
            return name.StartsWith("AgentPassport", StringComparison.Ordinal) && !EntryPoints.Contains(name)
                ? "AgentPassport* is for the package-level entry points; name a domain type Passport*"
                : null;
        }

        if (!isStaticClass || !name.EndsWith("Extensions", StringComparison.Ordinal))
        {
            return "only static *Extensions classes go in a host's namespace";
        }

        var registration = name == "AgentPassportServiceCollectionExtensions"
            || (name.EndsWith("AgentPassportBuilderExtensions", StringComparison.Ordinal) && !name.StartsWith("AgentPassport", StringComparison.Ordinal));
        return registration || (name.StartsWith("Passport", StringComparison.Ordinal))
            ? null
            : "an extension class in a host's namespace is Passport{HostType}Extensions";
    }

    private static bool IsStaticClass(Type type) => type.IsClass && type.IsAbstract && type.IsSealed;
}
