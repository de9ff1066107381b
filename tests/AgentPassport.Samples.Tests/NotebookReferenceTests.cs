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

    [Theory]
    [MemberData(nameof(Notebooks))]
    public void Notebook_has_a_file_based_twin_whose_project_directives_name_src_projects(string notebook)
    {
        string app = Path.Combine(SampleRunner.RepositoryRoot, "notebooks", Path.ChangeExtension(notebook, ".cs"));
        Assert.True(File.Exists(app), $"{notebook} has no file-based app {Path.GetFileName(app)}.");

        var directives = ProjectDirective().Matches(File.ReadAllText(app));
        Assert.NotEmpty(directives);
        foreach (Match directive in directives)
        {
            string project = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(app)!, directive.Groups["path"].Value));
            Assert.StartsWith(Path.Combine(SampleRunner.RepositoryRoot, "src") + Path.DirectorySeparatorChar, project, StringComparison.Ordinal);
            Assert.True(File.Exists(project), $"{Path.GetFileName(app)}: no project {project}");
        }
    }

    [Theory]
    [MemberData(nameof(Notebooks))]
    public void Notebook_is_committed_with_the_outputs_of_every_code_cell_and_no_errors(string notebook)
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(SampleRunner.RepositoryRoot, "notebooks", notebook)));
        var code = doc.RootElement.GetProperty("cells").EnumerateArray().Where(c => c.GetProperty("cell_type").GetString() == "code").ToList();
        var outputs = code.SelectMany(c => c.GetProperty("outputs").EnumerateArray()).ToList();

        // Every cell that prints shows it (#r cells print nothing worth keeping; the rest print).
        Assert.True(outputs.Count >= code.Count - 2, $"{notebook}: {outputs.Count} outputs for {code.Count} code cells; run notebooks/run-all.sh --update.");
        Assert.DoesNotContain(outputs, o => o.GetProperty("output_type").GetString() == "error");
    }

    [Fact]
    public void Delegation_notebook_shows_the_tree_as_a_mermaid_block_github_draws()
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(SampleRunner.RepositoryRoot, "notebooks", "03-delegation-tree.ipynb")));
        var markdown = doc.RootElement.GetProperty("cells").EnumerateArray()
            .Where(c => c.GetProperty("cell_type").GetString() == "code")
            .SelectMany(c => c.GetProperty("outputs").EnumerateArray())
            .Where(o => o.TryGetProperty("data", out var data) && data.TryGetProperty("text/markdown", out _))
            .Select(o => string.Concat(o.GetProperty("data").GetProperty("text/markdown").EnumerateArray().Select(l => l.GetString())));

        Assert.Contains(markdown, m => m.StartsWith("```mermaid\nflowchart TD\n", StringComparison.Ordinal) && m.Contains("<br/>purpose: ", StringComparison.Ordinal));
    }

    private static string[] NotebookNames() =>
        [.. Directory.GetFiles(Path.Combine(SampleRunner.RepositoryRoot, "notebooks"), "*.ipynb").Select(f => Path.GetFileName(f)).Order(StringComparer.Ordinal)];

    [GeneratedRegex("#r \"nuget: (?<id>[A-Za-z.]+), (?<version>[^\"]+)\"")]
    private static partial Regex NugetReference();

    [GeneratedRegex("^#:project (?<path>\\S+)$", RegexOptions.Multiline)]
    private static partial Regex ProjectDirective();
}
