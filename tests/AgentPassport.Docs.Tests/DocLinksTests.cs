using System.Text.RegularExpressions;
using AgentPassport.Docs.Tests.Support;

namespace AgentPassport.Docs.Tests;

/// <summary>
/// The docs point at files (docs/architecture.md answers "where is X checked" with a link to the file): every relative
/// link and every repository path in backticks must exist, so a moved or renamed file breaks the docs test, not the reader.
/// </summary>
public sealed partial class DocLinksTests
{
    [Fact]
    public void Every_relative_link_and_repository_path_in_the_docs_exists()
    {
        var missing = DocSources.MarkdownFiles().SelectMany(file => MissingTargets(file, File.ReadAllText(Path.Combine(DocSources.Root, file)))).ToList();
        Assert.True(missing.Count == 0, "Links or paths to files that do not exist:" + Environment.NewLine + string.Join(Environment.NewLine, missing));
    }

    [Fact]
    public void The_architecture_page_links_the_files_it_names()
    {
        var text = File.ReadAllText(Path.Combine(DocSources.Root, "docs", "architecture.md"));
        Assert.Contains("](../src/AgentPassport/Verification/Rules/AudienceRule.cs)", text, StringComparison.Ordinal);
        Assert.Contains("```mermaid", text, StringComparison.Ordinal);
        Assert.Contains("[docs/architecture.md](docs/architecture.md)", File.ReadAllText(Path.Combine(DocSources.Root, "README.md")), StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_link_or_path_is_reported_with_its_file()
    {
        const string markdown = """
            See [the verifier](../src/AgentPassport/Verification/PassportVerifier.cs) and [gone](../src/Nowhere.cs#L3),
            `src/AgentPassport/NoSuchFile.cs`, [a site](https://example.com) and [a heading](#top).

            ```text
            src/InsideAFence.cs [x](../InsideAFence.md)
            ```
            """;
        Assert.Equal(["docs/x.md: ../src/Nowhere.cs#L3", "docs/x.md: src/AgentPassport/NoSuchFile.cs"], MissingTargets("docs/x.md", markdown));
    }

    private static List<string> MissingTargets(string file, string markdown)
    {
        var prose = Fence().Replace(markdown, string.Empty);
        var directory = Path.GetDirectoryName(Path.Combine(DocSources.Root, file))!;
        var links = Link().Matches(prose).Select(m => m.Groups["target"].Value)
            .Where(t => !t.StartsWith('#') && !Scheme().IsMatch(t))
            .Where(t => !Exists(Path.Combine(directory, t.Split('#')[0])));
        var paths = RepositoryPath().Matches(prose).Select(m => m.Groups["path"].Value)
            .Where(p => !p.Contains('*', StringComparison.Ordinal) && !p.Contains('…', StringComparison.Ordinal) && !p.Contains('<', StringComparison.Ordinal))
            .Where(p => !Exists(Path.Combine(DocSources.Root, p.Split('#', ':')[0])));
        return [.. links.Concat(paths).Select(t => $"{file}: {t}")];
    }

    private static bool Exists(string path) => File.Exists(path) || Directory.Exists(path);

    [GeneratedRegex(@"^ *```.*?^ *```", RegexOptions.Singleline | RegexOptions.Multiline)]
    private static partial Regex Fence();

    [GeneratedRegex(@"\]\((?<target>[^)\s]+)\)")]
    private static partial Regex Link();

    [GeneratedRegex(@"^[a-z][a-z0-9+.-]*:", RegexOptions.IgnoreCase)]
    private static partial Regex Scheme();

    [GeneratedRegex(@"`(?<path>(?:src|tests|docs|eng|samples|bench|fuzz|notebooks)/[^`\s]*)`")]
    private static partial Regex RepositoryPath();
}
