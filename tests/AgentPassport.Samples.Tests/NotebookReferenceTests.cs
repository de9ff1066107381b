using System.Text.Json;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using AgentPassport.Samples.Tests.Support;

namespace AgentPassport.Samples.Tests;

/// <summary>
/// The notebooks are executed by notebooks/run-all.sh (dotnet-repl); these fast checks keep them loadable in between:
/// every package they reference must be one the build packs, at the version the build gives it.
/// </summary>
public sealed partial class NotebookReferenceTests
{
    public static TheoryData<string> Notebooks() => new(NotebookNames());

    [Fact]
    public void The_three_notebooks_exist()
    {
        Assert.Equal(["01-quickstart.ipynb", "02-kernel-filter.ipynb", "03-delegation-tree.ipynb"], NotebookNames());
    }

    [Theory]
    [MemberData(nameof(Notebooks))]
    public void Notebook_references_packed_projects_at_the_built_version(string notebook)
    {
        string version = XDocument.Load(Path.Combine(SampleRunner.RepositoryRoot, "Directory.Build.props"))
            .Descendants("Version").Single().Value;
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(SampleRunner.RepositoryRoot, "notebooks", notebook)));
        string code = string.Join('\n', doc.RootElement.GetProperty("cells").EnumerateArray()
            .Where(c => c.GetProperty("cell_type").GetString() == "code")
            .Select(c => string.Concat(c.GetProperty("source").EnumerateArray().Select(l => l.GetString()))));

        var references = NugetReference().Matches(code);
        Assert.NotEmpty(references);
        foreach (Match reference in references)
        {
            string package = reference.Groups["id"].Value;
            Assert.True(File.Exists(Path.Combine(SampleRunner.RepositoryRoot, "src", package, package + ".csproj")), $"{notebook} references {package}, which is not a src project.");
            Assert.Equal(version, reference.Groups["version"].Value);
        }

        // The setup cell looks for the packed core package by its file name.
        Assert.Contains($"AgentPassport.{version}.nupkg", code);
    }

    private static string[] NotebookNames() =>
        [.. Directory.GetFiles(Path.Combine(SampleRunner.RepositoryRoot, "notebooks"), "*.ipynb").Select(f => Path.GetFileName(f)).Order(StringComparer.Ordinal)];

    [GeneratedRegex("#r \"nuget: (?<id>[A-Za-z.]+), (?<version>[^\"]+)\"")]
    private static partial Regex NugetReference();
}
