using System.Security.Cryptography;

namespace AgentPassport;

/// <summary>
/// A private key that signs Passports with exactly one algorithm. Its <see cref="KeyId"/> is the RFC 7638
/// thumbprint of the public key. The private key never leaves this object except through
/// <see cref="ExportPkcs8"/>, which key stores use to persist it owner-only.
/// </summary>
public sealed class PassportSigningKey : IDisposable
{
    private readonly ECDsa? _ecdsa;
    private readonly RSA? _rsa;

    private PassportSigningKey(string algorithm, ECDsa? ecdsa, RSA? rsa)
    {
        Algorithm = algorithm;
        _ecdsa = ecdsa;
        _rsa = rsa;
        PublicKey = ecdsa is not null
            ? new PassportVerificationKey(algorithm, ECDsa.Create(ecdsa.ExportParameters(false)), null)
            : new PassportVerificationKey(algorithm, null, RSA.Create(rsa!.ExportParameters(false)));
    }

    /// <summary>Gets the key id (<c>kid</c>): the RFC 7638 SHA-256 thumbprint of the public key.</summary>
    public string KeyId => PublicKey.KeyId;

    /// <summary>Gets the algorithm this key signs with.</summary>
    public string Algorithm { get; }

    /// <summary>Gets the public half, for verifiers and JWKS.</summary>
    public PassportVerificationKey PublicKey { get; }

    /// <summary>Generates a new key: P-256 for ES256 (the default), RSA-2048 for RS256 or PS256.</summary>
    /// <param name="algorithm">ES256, RS256 or PS256.</param>
    /// <returns>The key.</returns>
    public static PassportSigningKey Generate(string algorithm = PassportAlgorithms.ES256) => algorithm switch
    {
        PassportAlgorithms.ES256 => new(algorithm, ECDsa.Create(ECCurve.NamedCurves.nistP256), null),
        PassportAlgorithms.RS256 or PassportAlgorithms.PS256 => new(algorithm, null, RSA.Create(2048)),
        _ => throw new ArgumentException($"The algorithm '{algorithm}' is not supported for signing (use ES256, RS256 or PS256).", nameof(algorithm)),
    };

    /// <summary>Wraps an existing P-256 key for ES256.</summary>
    /// <param name="ecdsa">A P-256 private key; the instance takes ownership.</param>
    /// <returns>The key.</returns>
    public static PassportSigningKey FromECDsa(ECDsa ecdsa)
    {
        ArgumentNullException.ThrowIfNull(ecdsa);
        if (ecdsa.KeySize != 256)
        {
            throw new ArgumentException("ES256 needs a P-256 key.", nameof(ecdsa));
        }

        return new(PassportAlgorithms.ES256, ecdsa, null);
    }

    /// <summary>Wraps an existing RSA key (at least 2048 bits) for RS256 or PS256.</summary>
    /// <param name="rsa">The private key; the instance takes ownership.</param>
    /// <param name="algorithm">RS256 or PS256.</param>
    /// <returns>The key.</returns>
    public static PassportSigningKey FromRsa(RSA rsa, string algorithm = PassportAlgorithms.RS256)
    {
        ArgumentNullException.ThrowIfNull(rsa);
        if (rsa.KeySize < 2048)
        {
            throw new ArgumentException("RSA keys must be at least 2048 bits.", nameof(rsa));
        }

        if (algorithm is not (PassportAlgorithms.RS256 or PassportAlgorithms.PS256))
        {
            throw new ArgumentException("RSA keys sign with RS256 or PS256.", nameof(algorithm));
        }

        return new(algorithm, null, rsa);
    }

    /// <summary>Imports a private key from its PKCS#8 DER bytes.</summary>
    /// <param name="pkcs8">The PKCS#8 bytes.</param>
    /// <param name="algorithm">ES256, RS256 or PS256.</param>
    /// <returns>The key.</returns>
    public static PassportSigningKey ImportPkcs8(ReadOnlySpan<byte> pkcs8, string algorithm)
    {
        if (algorithm == PassportAlgorithms.ES256)
        {
            var ecdsa = ECDsa.Create();
            ecdsa.ImportPkcs8PrivateKey(pkcs8, out _);
            return FromECDsa(ecdsa);
        }

        var rsa = RSA.Create();
        rsa.ImportPkcs8PrivateKey(pkcs8, out _);
        return FromRsa(rsa, algorithm);
    }

    /// <summary>Exports the private key as PKCS#8 DER. Handle the bytes as a secret.</summary>
    /// <returns>The PKCS#8 bytes.</returns>
    public byte[] ExportPkcs8() => _ecdsa is not null ? _ecdsa.ExportPkcs8PrivateKey() : _rsa!.ExportPkcs8PrivateKey();

    /// <summary>Signs <paramref name="signingInput"/> (the ASCII of <c>header.payload</c>).</summary>
    internal byte[] Sign(ReadOnlySpan<byte> signingInput) => Algorithm switch
    {
        PassportAlgorithms.ES256 => _ecdsa!.SignData(signingInput, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation),
        PassportAlgorithms.RS256 => _rsa!.SignData(signingInput, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1),
        _ => _rsa!.SignData(signingInput, HashAlgorithmName.SHA256, RSASignaturePadding.Pss),
    };

    /// <inheritdoc />
    public void Dispose()
    {
        _ecdsa?.Dispose();
        _rsa?.Dispose();
    }
}
