using System.Security.Cryptography;
using System.Text;

namespace AgentPassport;

/// <content>The key files: loading, creating, reading and writing the private key PEM (mode 0600) and the JWKS.</content>
public sealed partial class FilePassportKeyStore
{
    /// <summary>Reads the key files; null when there is no private key yet.</summary>
    private (PassportSigningKey Current, KeyRing Ring, long JwksWrittenAt, PendingKey? Pending)? Load()
    {
        if (!File.Exists(_privateKeyPath))
        {
            return null;
        }

        if (OwnerOnlyFiles.IsSharedWithOthers(_privateKeyPath))
        {
            throw new InvalidOperationException($"The private key file '{_privateKeyPath}' is accessible by other users; it must be mode 0600.");
        }

        // Read the JWKS first: it is written before the private key, so it already holds the key read next.
        long writtenAt = JwksWriteTicks();
        IReadOnlyList<PassportVerificationKey> published = File.Exists(_jwksPath) ? ReadJwks() : [];
        var current = ReadPrivateKey(_privateKeyPath, published);
        var pending = ReadPending(published);
        var others = published.Where(k => k.KeyId != current.KeyId).Take(MaxRetiredKeys);
        return (current, new KeyRing([current.PublicKey, .. others]), writtenAt, pending);
    }

    private (PassportSigningKey, KeyRing, long, PendingKey?) CreateFirstKey()
    {
        var key = PassportSigningKey.Generate(_algorithm);
        var ring = new KeyRing([key.PublicKey]);
        WriteJwks(ring.Keys);
        WritePrivateKey(_privateKeyPath, key);
        return (key, ring, JwksWriteTicks(), null);
    }

    /// <summary>The scheduled next key: only when its activation file exists and its public key is published (else it never signs).</summary>
    private PendingKey? ReadPending(IReadOnlyList<PassportVerificationKey> published)
    {
        if (!File.Exists(_nextActivationPath) || !File.Exists(_nextPrivateKeyPath))
        {
            return null;
        }

        if (OwnerOnlyFiles.IsSharedWithOthers(_nextPrivateKeyPath))
        {
            throw new InvalidOperationException($"The private key file '{_nextPrivateKeyPath}' is accessible by other users; it must be mode 0600.");
        }

        if (!long.TryParse(File.ReadAllText(_nextActivationPath).Trim(), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out long ms)
            || ms > DateTimeOffset.MaxValue.ToUnixTimeMilliseconds())
        {
            throw new InvalidOperationException($"The file '{_nextActivationPath}' is not a Unix time in milliseconds.");
        }

        var key = ReadPrivateKey(_nextPrivateKeyPath, published);
        if (!published.Any(k => k.KeyId == key.KeyId))
        {
            // Never sign with a key verifiers cannot find.
            key.Dispose();
            return null;
        }

        return new PendingKey(key, DateTimeOffset.FromUnixTimeMilliseconds(ms));
    }

    private void WriteActivation(DateTimeOffset activatesAt) =>
        OwnerOnlyFiles.WriteAtomic(_nextActivationPath, Encoding.ASCII.GetBytes(activatesAt.ToUnixTimeMilliseconds().ToString(System.Globalization.CultureInfo.InvariantCulture) + "\n"), OwnerOnlyFiles.PublicFileMode);

    private void DeletePending()
    {
        // The activation file first: without it the next key file is inert.
        File.Delete(_nextActivationPath);
        File.Delete(_nextPrivateKeyPath);
    }

    private IReadOnlyList<PassportVerificationKey> ReadJwks()
    {
        try
        {
            return Jwks.Import(File.ReadAllText(_jwksPath));
        }
        catch (FormatException ex)
        {
            throw new InvalidOperationException($"The key file '{_jwksPath}' is not a valid JWKS.", ex);
        }
    }

    private PassportSigningKey ReadPrivateKey(string path, IReadOnlyList<PassportVerificationKey> published)
    {
        byte[] der = [];
        try
        {
            der = DecodePem(File.ReadAllText(path));
            try
            {
                return PassportSigningKey.ImportPkcs8(der, PassportAlgorithms.ES256);
            }
            catch (CryptographicException)
            {
                // Not an EC key: an RSA key signs with the algorithm its published JWK names (RS256 or PS256).
                using var rsa = RSA.Create();
                rsa.ImportPkcs8PrivateKey(der, out _);
                string kid = PassportVerificationKey.Thumbprint(PassportVerificationKey.PublicRsaJwk(rsa));
                string alg = published.FirstOrDefault(k => k.KeyId == kid)?.Algorithm
                    ?? (_algorithm == PassportAlgorithms.ES256 ? PassportAlgorithms.RS256 : _algorithm);
                return PassportSigningKey.ImportPkcs8(der, alg);
            }
        }
        catch (Exception ex) when (ex is CryptographicException or FormatException or ArgumentException)
        {
            throw new InvalidOperationException($"The private key file '{path}' is not a PKCS#8 P-256 or RSA (2048+ bits) key.", ex);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(der);
        }
    }

    private void WriteJwks(IReadOnlyList<PassportVerificationKey> keys) =>
        OwnerOnlyFiles.WriteAtomic(_jwksPath, Encoding.UTF8.GetBytes(Jwks.Export(keys) + "\n"), OwnerOnlyFiles.PublicFileMode);

    private static void WritePrivateKey(string path, PassportSigningKey key)
    {
        byte[] der = key.ExportPkcs8();
        char[] pem = PemEncoding.Write("PRIVATE KEY", der);
        byte[] bytes = Encoding.ASCII.GetBytes(pem);
        try
        {
            OwnerOnlyFiles.WriteAtomic(path, bytes, OwnerOnlyFiles.PrivateFileMode);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(der);
            CryptographicOperations.ZeroMemory(bytes);
            Array.Clear(pem);
        }
    }

    private static byte[] DecodePem(string text)
    {
        if (!PemEncoding.TryFind(text, out var fields) || text.AsSpan()[fields.Label].ToString() != "PRIVATE KEY")
        {
            throw new FormatException("No PKCS#8 'PRIVATE KEY' PEM block.");
        }

        return Convert.FromBase64String(text[fields.Base64Data]);
    }
}
