using System.Runtime.CompilerServices;
using System.Xml.Linq;
using AgentPassport.ConventionTests.Support;

namespace AgentPassport.ConventionTests;

/// <summary>
/// A package grants its internals only to its own tests: a package that used another package's internals would ship a
/// contract no public API states (and could not be versioned separately). Packages share enforcement through public seams.
/// </summary>
public sealed class InternalsVisibleToTests
{
    // "granting assembly -> friend": only projects that never ship.
    private static readonly AllowList NonTestFriends = new("InternalsVisibleTo only to test projects", new Dictionary<string, string>
    {
        ["AgentPassport -> AgentPassport.Benchmarks"] =
            "bench/ is a measurement harness (never packed) that times the verifier's internal stages (parse, " +
            "base64url, payload read, signature, chain cache); no public API reaches them, and nothing that ships depends on it.",
    });

    [Fact]
    public void Src_assemblies_grant_internals_only_to_test_projects()
    {
        var testProjects = TestProjectNames();
        Assert.Contains("AgentPassport.Tests", testProjects);

        var friends = SourceProjects.Assemblies.SelectMany(a => a.GetCustomAttributes(typeof(InternalsVisibleToAttribute), false)
            .Cast<InternalsVisibleToAttribute>()
            .Select(ivt => (Grantor: a.GetName().Name!, Friend: ivt.AssemblyName.Split(',')[0].Trim())))
            .ToList();
        Assert.NotEmpty(friends);
        NonTestFriends.Check(friends.Where(f => !testProjects.Contains(f.Friend)).Select(f => $"{f.Grantor} -> {f.Friend}"));
    }

    // The projects under tests/ that declare themselves test projects (never packed).
    private static HashSet<string> TestProjectNames() =>
    [
        .. Directory.GetFiles(Path.Combine(SourceProjects.Root, "tests"), "*.csproj", SearchOption.AllDirectories)
            .Where(file => XDocument.Load(file).Descendants("IsTestProject").Any(e => string.Equals(e.Value.Trim(), "true", StringComparison.OrdinalIgnoreCase)))
            .Select(Path.GetFileNameWithoutExtension)
            .OfType<string>(),
    ];
}
