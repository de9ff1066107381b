namespace AgentPassport.Cli;

/// <summary>
/// Reads <c>--chain</c> files: each holds one or more parent Passports separated by whitespace; files and tokens root
/// first. The caps of <see cref="PassportInputLimits"/> hold before a file is read: no more files than the depth cap, and
/// files no larger together than the chain's byte cap (plus room for separators); then at most the depth cap of tokens.
/// </summary>
internal static class ChainFiles
{
    // Whitespace between and around tokens is not token bytes: a few bytes of room per token.
    private const int SeparatorAllowance = 64 * (PassportLimits.MaxChainDepth + 1);

    /// <exception cref="UsageException">A file does not exist or holds no token, or the chain is over a cap.</exception>
    public static IReadOnlyList<string> Read(IEnumerable<string>? paths)
    {
        var files = (paths ?? []).Take(PassportLimits.MaxChainDepth + 1).ToList();
        if (PassportInputLimits.CheckParentCount(files.Count) is { } tooMany)
        {
            throw new UsageException($"--chain: {tooMany.Message}.");
        }

        long total = 0;
        foreach (string path in files)
        {
            if (!File.Exists(path))
            {
                throw new UsageException($"--chain: no such file '{path}'.");
            }

            total += new FileInfo(path).Length;
            if (total > PassportLimits.MaxChainBytes + SeparatorAllowance)
            {
                throw new UsageException($"--chain: the files hold more than {PassportLimits.MaxChainBytes} bytes of tokens; a chain is at most {PassportLimits.MaxChainDepth} Passports of at most {PassportLimits.MaxTokenBytes} bytes.");
            }
        }

        var tokens = new List<string>();
        foreach (string path in files)
        {
            string[] inFile = File.ReadAllText(path).Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            if (inFile.Length == 0)
            {
                throw new UsageException($"--chain: the file '{path}' holds no token.");
            }

            tokens.AddRange(inFile);
        }

        if (PassportInputLimits.Check("-", tokens) is { } error)
        {
            throw new UsageException($"--chain: {error.Message}.");
        }

        return tokens;
    }
}
