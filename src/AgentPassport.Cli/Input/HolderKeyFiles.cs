using System.Text;
using System.Text.Json;

namespace AgentPassport.Cli;

/// <summary>
/// Holder key files (spec v1.1 §11): a private JWK written owner-only by <c>keys holder-new</c>, read back for proofs
/// (<c>prove --key</c>, <c>delegate --proof-key</c>) or for its public part (<c>--holder-jwk</c>, which also takes a
/// public JWK). A file holding a private key that other users can read is refused. Key material is never printed.
/// </summary>
internal static class HolderKeyFiles
{
    // A JWK of an RSA-4096 private key is under 4 KiB: the read is bounded far above any real key.
    private const int MaxBytes = 64 * 1024;

    public static void WriteNew(string path, PassportHolderKey key)
    {
        string full = Path.GetFullPath(path);
        if (File.Exists(full) || Directory.Exists(full))
        {
            throw new UsageException($"{path} already exists: a holder key is never overwritten; choose another --out path.");
        }

        if (!Directory.Exists(Path.GetDirectoryName(full)))
        {
            throw new UsageException($"The directory of {path} does not exist.");
        }

        OwnerOnlyFiles.WriteAtomic(full, Encoding.UTF8.GetBytes(key.ToPrivateJwkJson() + "\n"), OwnerOnlyFiles.PrivateFileMode);
    }

    /// <summary>The private holder key of <paramref name="path"/> (for signing proofs).</summary>
    public static PassportHolderKey ReadPrivate(string path, string option)
    {
        string json = ReadJson(path, option);
        if (!HasPrivateMember(json))
        {
            throw new UsageException($"{option} {path}: the file holds a public key; signing a proof needs the private JWK written by 'keys holder-new'.");
        }

        RefuseShared(path, option);
        try
        {
            return PassportHolderKey.FromJwk(json);
        }
        catch (Exception ex) when (ex is FormatException or ArgumentException or JsonException)
        {
            throw new UsageException($"{option} {path}: not a usable holder key: {ex.Message}");
        }
    }

    /// <summary>The RFC 7638 thumbprint of the key in <paramref name="path"/> (a private or public JWK): what a Passport is bound to.</summary>
    public static string ReadThumbprint(string path, string option)
    {
        string json = ReadJson(path, option);
        try
        {
            if (HasPrivateMember(json))
            {
                RefuseShared(path, option);
                using var key = PassportHolderKey.FromJwk(json);
                return key.Thumbprint;
            }

            return PassportHolderKey.ComputeThumbprint(json);
        }
        catch (Exception ex) when (ex is FormatException or ArgumentException or JsonException or InvalidOperationException)
        {
            throw new UsageException($"{option} {path}: not a usable holder key: {ex.Message}");
        }
    }

    private static string ReadJson(string path, string option)
    {
        if (!File.Exists(path))
        {
            throw new UsageException($"{option} {path}: no such file.");
        }

        using var stream = File.OpenRead(path);
        if (stream.Length > MaxBytes)
        {
            throw new UsageException($"{option} {path}: over {MaxBytes / 1024} KiB, not a JWK.");
        }

        return new StreamReader(stream, Encoding.UTF8).ReadToEnd();
    }

    private static bool HasPrivateMember(string json)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            return document.RootElement.ValueKind == JsonValueKind.Object && document.RootElement.TryGetProperty("d", out _);
        }
        catch (JsonException)
        {
            return false; // reported by the key parser with its own message
        }
    }

    private static void RefuseShared(string path, string option)
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        const UnixFileMode others = UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.OtherRead | UnixFileMode.OtherWrite;
        if ((File.GetUnixFileMode(path) & others) != 0)
        {
            throw new UsageException($"{option} {path}: the private key file is readable or writable by other users; run 'chmod 600 {path}' (or make a new key: the old one may be known).");
        }
    }
}
