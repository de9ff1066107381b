using System.Text.RegularExpressions;

namespace AgentPassport.Cli.Tests.Support;

/// <summary>
/// A ```` ```console ```` block of a Markdown document: its commands (<c>$ </c> lines, continued by a trailing
/// backslash) and the output shown after them. In the shown output <c>…</c> stands for any text within a line, and a
/// line holding only <c>…</c> for any number of lines.
/// </summary>
public sealed record ConsoleBlock(int Line, IReadOnlyList<string> Commands, IReadOnlyList<string> ExpectedOutput)
{
    public static IReadOnlyList<ConsoleBlock> Parse(string markdown)
    {
        var blocks = new List<ConsoleBlock>();
        string[] lines = markdown.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        for (int i = 0; i < lines.Length; i++)
        {
            if (lines[i].Trim() != "```console")
            {
                continue;
            }

            int start = i + 1;
            var commands = new List<string>();
            var output = new List<string>();
            for (i = start; i < lines.Length && lines[i].Trim() != "```"; i++)
            {
                if (lines[i].StartsWith("$ ", StringComparison.Ordinal))
                {
                    string command = lines[i][2..];
                    while (command.EndsWith('\\') && i + 1 < lines.Length)
                    {
                        command += "\n" + lines[++i];
                    }

                    commands.Add(command);
                }
                else
                {
                    output.Add(lines[i]);
                }
            }

            blocks.Add(new ConsoleBlock(start, commands, output));
        }

        return blocks;
    }

    /// <summary>Null when <paramref name="actual"/> matches the shown output, else where it stops matching.</summary>
    public string? Mismatch(string actual)
    {
        var got = actual.Replace("\r\n", "\n", StringComparison.Ordinal).TrimEnd('\n').Split('\n');
        if (actual.Length == 0)
        {
            got = [];
        }

        return Matches(0, 0, got) ? null : $"the output of the block at line {Line} differs from the documented output.\n--- documented\n{string.Join('\n', ExpectedOutput)}\n--- actual\n{string.Join('\n', got)}";
    }

    private bool Matches(int e, int a, string[] got)
    {
        if (e == ExpectedOutput.Count)
        {
            return a == got.Length;
        }

        if (ExpectedOutput[e] == "…")
        {
            for (int skip = a; skip <= got.Length; skip++)
            {
                if (Matches(e + 1, skip, got))
                {
                    return true;
                }
            }

            return false;
        }

        return a < got.Length && LineMatches(ExpectedOutput[e], got[a]) && Matches(e + 1, a + 1, got);
    }

    private static bool LineMatches(string expected, string actual) =>
        Regex.IsMatch(actual, "^" + string.Join(".*", expected.Split('…').Select(Regex.Escape)) + "$", RegexOptions.None, TimeSpan.FromSeconds(1));
}
