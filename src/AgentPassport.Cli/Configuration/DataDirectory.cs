namespace AgentPassport.Cli;

/// <summary>
/// The tool's data directory: <c>$XDG_DATA_HOME/agent-passport</c>, else <c>~/.local/share/agent-passport</c>,
/// created owner-only (0700). It holds the stored ID token and the issuer's keys (<c>keys/</c>).
/// </summary>
internal static class DataDirectory
{
    public const string IdTokenFileName = "id_token";

    public static string Path => System.IO.Path.Combine(Root, "agent-passport");

    /// <summary>Gets the folder that holds per-application data folders: <c>$XDG_DATA_HOME</c>, else <c>~/.local/share</c>.</summary>
    public static string Root => GetRoot();

    public static string KeysPath => System.IO.Path.Combine(Path, "keys");

    public static string IdTokenPath => System.IO.Path.Combine(Path, IdTokenFileName);

    /// <summary>Returns the data directory, creating it with mode 0700 when missing.</summary>
    public static string Ensure()
    {
        string path = Path;
        OwnerOnlyFiles.CreateDirectory(path);
        return path;
    }

    private static string GetRoot()
    {
        // XDG: a relative XDG_DATA_HOME is invalid and ignored.
        string? xdg = Environment.GetEnvironmentVariable("XDG_DATA_HOME");
        return !string.IsNullOrWhiteSpace(xdg) && System.IO.Path.IsPathRooted(xdg)
            ? xdg
            : System.IO.Path.Combine(Home(), ".local", "share");
    }

    private static string Home()
    {
        string home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        return !string.IsNullOrEmpty(home)
            ? home
            : throw new UsageException("Cannot find the data directory: neither XDG_DATA_HOME nor HOME is set.");
    }
}
