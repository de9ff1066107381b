using System.Security.Cryptography;
using System.Text;

namespace AgentPassport;

/// <summary>The audit log's own signing key, kept in an owner-only (0600) PKCS#8 PEM file.</summary>
public static class PassportAuditLogKey
{
    /// <summary>Loads the key at <paramref name="path"/>, or creates a new P-256 key there (mode 0600) when there is none.</summary>
    /// <param name="path">The private key file.</param>
    /// <returns>The key.</returns>
    /// <exception cref="InvalidOperationException">The file is readable by other users, or is not a PKCS#8 P-256 key.</exception>
    public static PassportSigningKey LoadOrCreate(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        if (!File.Exists(path))
        {
            var key = PassportSigningKey.Generate();
            byte[] der = key.ExportPkcs8();
            byte[] pem = Encoding.ASCII.GetBytes(PemEncoding.Write("PRIVATE KEY", der));
            try
            {
                var directory = Path.GetDirectoryName(Path.GetFullPath(path))!;
                if (!Directory.Exists(directory))
                {
                    OwnerOnlyFiles.CreateDirectory(directory);
                }

                OwnerOnlyFiles.WriteAtomic(path, pem, OwnerOnlyFiles.PrivateFileMode);
                return key;
            }
            finally
            {
                CryptographicOperations.ZeroMemory(der);
                CryptographicOperations.ZeroMemory(pem);
            }
        }

        if (OwnerOnlyFiles.IsSharedWithOthers(path))
        {
            throw new InvalidOperationException($"The audit log key file '{path}' is accessible by other users; make it mode 0600 (chmod 600).");
        }

        byte[] bytes = [];
        try
        {
            string text = File.ReadAllText(path);
            if (!PemEncoding.TryFind(text, out var fields) || text.AsSpan()[fields.Label].ToString() != "PRIVATE KEY")
            {
                throw new FormatException("No PKCS#8 'PRIVATE KEY' PEM block.");
            }

            bytes = Convert.FromBase64String(text[fields.Base64Data]);
            return PassportSigningKey.ImportPkcs8(bytes, PassportAlgorithms.ES256);
        }
        catch (Exception ex) when (ex is CryptographicException or FormatException or ArgumentException)
        {
            throw new InvalidOperationException($"The audit log key file '{path}' is not a PKCS#8 P-256 key.", ex);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(bytes);
        }
    }
}
