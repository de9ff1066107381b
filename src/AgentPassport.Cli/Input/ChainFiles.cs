namespace AgentPassport.Cli;

/// <summary>Reads <c>--chain</c> files: each holds one or more parent Passports separated by whitespace; files and tokens root first.</summary>
internal static class ChainFiles
{
    /// <exception cref="UsageException">A file does not exist or holds no token.</exception>
    public static IReadOnlyList<string> Read(IEnumerable<string>? paths)
    {
        var tokens = new List<string>();
        foreach (string path in paths ?? [])
        {
            if (!File.Exists(path))
            {
                throw new UsageException($"--chain: no such file '{path}'.");
            }

            string[] inFile = File.ReadAllText(path).Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            if (inFile.Length == 0)
            {
                throw new UsageException($"--chain: the file '{path}' holds no token.");
            }

            tokens.AddRange(inFile);
        }

        return tokens;
    }
}
