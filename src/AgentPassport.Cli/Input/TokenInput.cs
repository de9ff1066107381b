namespace AgentPassport.Cli;

/// <summary>Reads a token argument: the value itself, or stdin when it is absent or <c>-</c>. Surrounding whitespace is trimmed.</summary>
internal static class TokenInput
{
    // Far above any valid Passport (16 KiB) or ID token, so the read is bounded without refusing a real token.
    private const int MaxChars = 1024 * 1024;

    /// <summary>The hint for a token argument that is a file's name.</summary>
    public static string NamesAFile(string path) =>
        $"'{path}' is a file, not a token: give the token itself, or read the file on stdin ('< {path}').";

    /// <exception cref="UsageException">The argument names a file; no token: stdin is a terminal, or stdin or the argument is empty.</exception>
    public static string Read(string? argument)
    {
        if (argument is not null && argument != "-")
        {
            if (File.Exists(argument))
            {
                throw new UsageException(NamesAFile(argument));
            }

            string value = argument.Trim();
            return value.Length > 0 ? value : throw new UsageException("The token argument is empty.");
        }

        if (!Console.IsInputRedirected)
        {
            throw new UsageException("No token given and stdin is a TTY.");
        }

        var buffer = new char[MaxChars + 1];
        int total = 0;
        int read;
        while (total <= MaxChars && (read = Console.In.Read(buffer, total, buffer.Length - total)) > 0)
        {
            total += read;
        }

        if (total > MaxChars)
        {
            throw new UsageException("The token on stdin is too large.");
        }

        string token = new string(buffer, 0, total).Trim();
        return token.Length > 0 ? token : throw new UsageException("Empty token on stdin.");
    }
}
