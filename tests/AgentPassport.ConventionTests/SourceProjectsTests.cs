using AgentPassport.ConventionTests.Support;

namespace AgentPassport.ConventionTests;

/// <summary>The conventions below look at every package: each project under src/ is found and its assembly loads.</summary>
public sealed class SourceProjectsTests
{
    [Fact]
    public void Every_src_project_is_referenced_and_loads()
    {
        var projects = SourceProjects.All;
        Assert.Contains(projects, p => p.AssemblyName == "AgentPassport");
        Assert.Contains(projects, p => p.ProjectFile.EndsWith("AgentPassport.Cli.csproj", StringComparison.Ordinal) && p.AssemblyName == "agent-passport");

        var loaded = SourceProjects.Assemblies;
        Assert.Equal(projects.Select(p => p.AssemblyName), loaded.Select(a => a.GetName().Name));
    }

    [Fact]
    public void Every_src_project_has_public_api_files()
    {
        foreach (var project in SourceProjects.All)
        {
            var dir = Path.Combine(SourceProjects.Root, Path.GetDirectoryName(project.ProjectFile)!, ".PublicAPI");
            foreach (var file in new[] { "PublicAPI.Shipped.txt", "PublicAPI.Unshipped.txt" })
            {
                var path = Path.Combine(dir, file);
                Assert.True(File.Exists(path), $"{project.ProjectFile}: .PublicAPI/{file} is missing (run eng/update-public-api.sh)");
                Assert.Equal("#nullable enable", File.ReadLines(path).First());
            }
        }
    }
}
