using System.Buffers;

namespace AgentPassport.Cli;

/// <summary>
/// Takes over the ID token stored by the Python reference CLI: <c>csp-agent-passport/id_token</c> (older versions:
/// <c>nist-agent-passport/id_token</c>) under the same data root. The first time this tool finds no ID token of its
/// own, it copies that one into its data directory, owner-only (0600), and records where it came from in
/// <see cref="MarkerFileName"/>; with the marker present it never migrates again, so a later login or a deleted token
/// is never replaced by the old one. The reference's files are left as they are. The copy is only a stored token: it
/// is validated against the CSP before every use, like one stored by <c>login</c>.
/// </summary>
internal static class ReferenceIdTokenMigration
{
    /// <summary>The marker in the data directory; its content is the migrated file's path.</summary>
    public const string MarkerFileName = "id_token.migrated-from";

    // Current folder first: the reference itself moves its older folder into the newer one.
    private static readonly string[] ReferenceFolders = ["csp-agent-passport", "nist-agent-passport"];
    private static readonly SearchValues<char> Base64UrlAndDot = SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.");
    private const int MaxTokenBytes = 64 * 1024;

    private static string MarkerPath => Path.Combine(DataDirectory.Path, MarkerFileName);

    /// <summary>Migrates the reference's ID token if this is the first chance to.</summary>
    /// <returns>The path migrated from, when a token was migrated now; otherwise null.</returns>
    public static string? MigrateOnce()
    {
        if (File.Exists(DataDirectory.IdTokenPath) || File.Exists(MarkerPath))
        {
            return null;
        }

        foreach (string folder in ReferenceFolders)
        {
            string source = Path.Combine(DataDirectory.Root, folder, DataDirectory.IdTokenFileName);
            if (TryReadToken(source) is { } token)
            {
                DataDirectory.Ensure();
                OwnerOnlyFiles.WriteAtomic(DataDirectory.IdTokenPath, System.Text.Encoding.UTF8.GetBytes(token + "\n"), OwnerOnlyFiles.PrivateFileMode);
                OwnerOnlyFiles.WriteAtomic(MarkerPath, System.Text.Encoding.UTF8.GetBytes(source + "\n"), OwnerOnlyFiles.PrivateFileMode);
                return source;
            }
        }

        return null;
    }

    /// <summary>Gets the path an ID token was once migrated from, or null when none was.</summary>
    public static string? MigratedFrom()
    {
        try
        {
            return File.Exists(MarkerPath) ? File.ReadAllText(MarkerPath).Trim() : null;
        }
        catch (IOException)
        {
            return null;
        }
    }

    /// <summary>The one-line report of a migration that just happened.</summary>
    public static string Describe(string source) =>
        $"migrated the ID token stored by the Python reference CLI ({source}) to {DataDirectory.IdTokenPath} (owner-only); it is validated against the CSP before use.";

    /// <summary>Reads a compact JWS from <paramref name="path"/>, or null when there is none (missing, unreadable, too large or not a JWS).</summary>
    private static string? TryReadToken(string path)
    {
        try
        {
            var file = new FileInfo(path);
            if (!file.Exists || file.Length == 0 || file.Length > MaxTokenBytes)
            {
                return null;
            }

            string token = File.ReadAllText(path).Trim();
            return token.Split('.') is { Length: 3 } parts && parts.All(p => p.Length > 0) && !token.AsSpan().ContainsAnyExcept(Base64UrlAndDot)
                ? token
                : null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
