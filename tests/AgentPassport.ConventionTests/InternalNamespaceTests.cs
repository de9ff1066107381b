using AgentPassport.ConventionTests.Support;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace AgentPassport.ConventionTests;

/// <summary>
/// What is in an <c>Internal</c> namespace or folder is not API: no public type lives there, so nothing a user can reach
/// depends on it and it can change freely.
/// </summary>
public sealed class InternalNamespaceTests
{
    [Fact]
    public void No_public_type_is_in_an_Internal_namespace()
    {
        var exposed = PublicSurface.Types(SourceProjects.Assemblies).Where(t => IsInternalNamespace(t.Namespace)).Select(t => t.FullName);
        Assert.Empty(exposed);
    }

    [Fact]
    public void No_public_type_is_declared_in_an_Internal_folder()
    {
        var src = Path.Combine(SourceProjects.Root, "src");
        var files = Directory.GetFiles(src, "*.cs", SearchOption.AllDirectories)
            .Where(f => Path.GetRelativePath(src, f).Split(Path.DirectorySeparatorChar).SkipLast(1).Contains("Internal"))
            .ToList();
        Assert.NotEmpty(files);

        var exposed = files.SelectMany(f => PublicTopLevelTypes(File.ReadAllText(f)).Select(t => $"{Path.GetRelativePath(SourceProjects.Root, f)}: {t}"));
        Assert.Empty(exposed);
    }

    [Fact]
    public void The_checks_see_an_Internal_namespace_and_a_public_type_in_source()
    {
        Assert.True(IsInternalNamespace("AgentPassport.Internal"));
        Assert.True(IsInternalNamespace("AgentPassport.Internal.Json"));
        Assert.False(IsInternalNamespace("AgentPassport.InternalTools"));
        Assert.False(IsInternalNamespace(null));

        const string source = """
            namespace AgentPassport;
            public sealed class Exposed { public sealed class NestedIsFine; }
            internal static class Hidden;
            public readonly record struct AlsoExposed(int Value);
            """;
        Assert.Equal(["Exposed", "AlsoExposed"], PublicTopLevelTypes(source));
    }

    private static bool IsInternalNamespace(string? ns) => ns is not null && ns.Split('.').Contains("Internal");

    private static IEnumerable<string> PublicTopLevelTypes(string source)
    {
        var root = CSharpSyntaxTree.ParseText(source).GetCompilationUnitRoot();
        return root.DescendantNodes(n => n is CompilationUnitSyntax or BaseNamespaceDeclarationSyntax)
            .OfType<MemberDeclarationSyntax>()
            .Where(m => m is BaseTypeDeclarationSyntax or DelegateDeclarationSyntax && m.Modifiers.Any(SyntaxKind.PublicKeyword))
            .Select(m => m switch
            {
                BaseTypeDeclarationSyntax t => t.Identifier.Text,
                DelegateDeclarationSyntax d => d.Identifier.Text,
                _ => m.ToString(),
            })
            .ToList();
    }
}
