namespace AgentPassport.Samples.Tests.Support;

/// <summary>The outcome of one sample run: exit code and the captured output.</summary>
internal sealed record SampleRun(string Sample, int ExitCode, string Output, string Errors, TimeSpan Elapsed)
{
    /// <summary>Gets the output lines, trimmed at the end.</summary>
    public IReadOnlyList<string> Lines => Output.Split('\n').Select(l => l.TrimEnd('\r', ' ')).ToArray();

    /// <summary>Gets the text of the section titled <paramref name="title"/> (between its frame and the next section).</summary>
    public string SectionText(string title)
    {
        var lines = Lines;
        int start = Array.FindIndex(lines.ToArray(), l => l == title);
        Assert.True(start >= 0, $"{Sample}: no section '{title}'.\n{this}");
        var body = new List<string>();
        for (int i = start + 2; i < lines.Count && !(i + 1 < lines.Count && IsRule(lines[i]) && i + 2 < lines.Count && IsRule(lines[i + 2])); i++)
        {
            body.Add(lines[i]);
        }

        return string.Join('\n', body);
    }

    /// <summary>Asserts the run ended well: exit 0, nothing on stderr, the last section is "Done.".</summary>
    public void AssertCompleted()
    {
        Assert.True(ExitCode == 0, $"{Sample} exited with {ExitCode}.\n{this}");
        Assert.True(string.IsNullOrWhiteSpace(Errors), $"{Sample} wrote to stderr.\n{this}");
        var tail = Lines.Where(l => l.Length > 0).TakeLast(3).ToArray();
        Assert.Equal([new string('=', 72), "Done.", new string('=', 72)], tail);
    }

    public override string ToString() => $"--- stdout ---\n{Output}\n--- stderr ---\n{Errors}";

    private static bool IsRule(string line) => line == new string('=', 72);
}
