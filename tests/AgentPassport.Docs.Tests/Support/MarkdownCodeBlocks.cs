using System.Text.RegularExpressions;

namespace AgentPassport.Docs.Tests.Support;

/// <summary>
/// Finds the fenced code blocks of a Markdown file. Only <c>csharp</c> blocks are compiled; the other C# spellings
/// (<c>cs</c>, <c>c#</c>, <c>C#</c>) are reported so a block cannot dodge the check by its info string.
/// </summary>
internal static partial class MarkdownCodeBlocks
{
    public static IReadOnlyList<DocBlock> CSharpBlocks(string path, string text) =>
        Fences(text).Where(f => f.Language == "csharp").Select(f => ToBlock(path, f)).ToList();

    /// <summary>Gets the lines (1-based) of fences that spell C# some other way than <c>csharp</c>.</summary>
    public static IReadOnlyList<int> OtherCSharpSpellings(string text) =>
        Fences(text).Where(f => f.Language is "cs" or "c#" or "C#" or "CSharp" or "CS").Select(f => f.Line).ToList();

    private static DocBlock ToBlock(string path, Fence fence)
    {
        string? fragment = null;
        string? given = null;
        int givenLine = 0;
        foreach (var (line, key, value) in fence.Markers)
        {
            if (key == "fragment")
            {
                fragment = value;
            }
            else
            {
                given = value;
                givenLine = line;
            }
        }

        return new DocBlock(path, fence.Line, fence.Code, fragment, given, givenLine);
    }

    private static IEnumerable<Fence> Fences(string text)
    {
        string[] lines = text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        for (int i = 0; i < lines.Length; i++)
        {
            var open = OpeningFence().Match(lines[i]);
            if (!open.Success)
            {
                continue;
            }

            int indent = open.Groups["indent"].Length;
            string ticks = open.Groups["ticks"].Value;
            string language = open.Groups["info"].Value.Trim().Split(' ', 2)[0];
            var markers = new List<(int, string, string)>();
            for (int m = i - 1; m >= 0 && Marker().Match(lines[m]) is { Success: true } marker; m--)
            {
                markers.Insert(0, (m + 1, marker.Groups["key"].Value, marker.Groups["value"].Value.Trim()));
            }

            var code = new List<string>();
            int fenceLine = i + 1;
            for (i++; i < lines.Length && !IsClosing(lines[i], ticks); i++)
            {
                string line = lines[i];
                int strip = Math.Min(indent, line.Length - line.TrimStart(' ').Length);
                code.Add(line[strip..]);
            }

            yield return new Fence(fenceLine, language, string.Join('\n', code), markers);
        }
    }

    private static bool IsClosing(string line, string ticks)
    {
        string trimmed = line.Trim();
        return trimmed.Length >= ticks.Length && trimmed.All(c => c == '`');
    }

    [GeneratedRegex(@"^(?<indent>[ ]*)(?<ticks>`{3,})(?<info>[^`]*)$")]
    private static partial Regex OpeningFence();

    [GeneratedRegex(@"^\s*<!--\s*(?<key>fragment|given)\s*:(?<value>.*?)-->\s*$")]
    private static partial Regex Marker();

    private sealed record Fence(int Line, string Language, string Code, IReadOnlyList<(int Line, string Key, string Value)> Markers);
}
