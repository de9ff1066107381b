using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using AgentPassport.Internal;

namespace AgentPassport;

/// <summary>
/// An agent's holder key (spec v1.1 §11): the private key a holder-bound Passport names by its RFC 7638 thumbprint
/// (<c>cnf.jkt</c>), and that signs a proof of possession for each call. ES256 (P-256) by default; RS256 or PS256 with an
/// RSA key of at least 2048 bits by configuration; never symmetric. Thread-safe; dispose it when the agent is done.
/// </summary>
/// <remarks>
/// The private key leaves this object only through <see cref="ToPrivateJwkJson"/> (to store it owner-only);
/// <see cref="ToString"/> prints the algorithm and thumbprint, never key material.
/// </remarks>
public sealed class PassportHolderKey : IDisposable
{
    private static readonly byte[] SelfTestInput = "agent-passport holder key self-test"u8.ToArray();

    private readonly PassportSigningKey _key;

    private PassportHolderKey(PassportSigningKey key)
    {
        _key = key;
        PublicJwkJson = BuildPublicJwk(key.PublicKey);
    }

    /// <summary>Gets the algorithm this key signs proofs with (ES256, RS256 or PS256).</summary>
    public string Algorithm => _key.Algorithm;

    /// <summary>Gets the RFC 7638 SHA-256 thumbprint of the public key, base64url: the value a bound Passport carries in <c>cnf.jkt</c>.</summary>
    public string Thumbprint => _key.KeyId;

    /// <summary>Gets the public JWK as JSON (the thumbprint members only: <c>kty</c> and <c>crv,x,y</c> or <c>e,n</c>): what a proof's header carries.</summary>
    public string PublicJwkJson { get; }

    /// <summary>Gets the public key (the verification key for this key's proofs).</summary>
    internal PassportVerificationKey PublicKey => _key.PublicKey;

    /// <summary>Generates a new holder key in memory: P-256 for ES256 (the default), RSA-2048 for RS256 or PS256.</summary>
    /// <param name="algorithm">ES256, RS256 or PS256.</param>
    /// <returns>The key.</returns>
    /// <exception cref="ArgumentException">The algorithm is not ES256, RS256 or PS256.</exception>
    public static PassportHolderKey Generate(string algorithm = PassportAlgorithms.ES256)
    {
        ArgumentNullException.ThrowIfNull(algorithm);
        return new(PassportSigningKey.Generate(algorithm));
    }

    /// <summary>Reads a private key from a JWK: EC P-256 (<c>kty, crv, x, y, d</c>) or RSA (<c>kty, n, e, d, p, q, dp, dq, qi</c>).</summary>
    /// <param name="privateJwkJson">The private JWK. Its <c>alg</c>, when present, picks the algorithm (ES256, RS256 or PS256); else ES256 for EC and RS256 for RSA.</param>
    /// <returns>The key.</returns>
    /// <exception cref="FormatException">The JWK is not valid JSON, is symmetric (<c>oct</c>) or of another type, lacks a private member, is under 2048 bits (RSA), or its private and public parts do not belong together.</exception>
    public static PassportHolderKey FromJwk(string privateJwkJson)
    {
        ArgumentNullException.ThrowIfNull(privateJwkJson);
        try
        {
            using var document = JsonDocument.Parse(privateJwkJson);
            return FromJwk(document.RootElement);
        }
        catch (JsonException ex)
        {
            throw new FormatException("The holder JWK is not valid JSON.", ex);
        }
        catch (ArgumentException ex)
        {
            throw new FormatException("The holder JWK is not valid text.", ex);
        }
    }

    /// <summary>Reads a private key from a PEM file (PKCS#8, SEC 1 <c>EC PRIVATE KEY</c> or PKCS#1 <c>RSA PRIVATE KEY</c>).</summary>
    /// <param name="path">The PEM file.</param>
    /// <param name="algorithm">ES256 (a P-256 key), RS256 or PS256 (an RSA key of at least 2048 bits).</param>
    /// <returns>The key.</returns>
    /// <exception cref="FormatException">The file holds no private key of that type, or the key is too small.</exception>
    /// <exception cref="ArgumentException">The algorithm is not ES256, RS256 or PS256.</exception>
    public static PassportHolderKey FromPemFile(string path, string algorithm)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        ArgumentNullException.ThrowIfNull(algorithm);
        if (!PassportAlgorithms.IsSupported(algorithm))
        {
            throw new ArgumentException($"The algorithm '{algorithm}' is not supported for holder keys (use ES256, RS256 or PS256).", nameof(algorithm));
        }

        string pem = File.ReadAllText(path);
        try
        {
            if (algorithm == PassportAlgorithms.ES256)
            {
                var ecdsa = ECDsa.Create();
                try
                {
                    ecdsa.ImportFromPem(pem);
                    if (ecdsa.ExportParameters(false).Curve.Oid.Value != ECCurve.NamedCurves.nistP256.Oid.Value)
                    {
                        throw new FormatException("ES256 needs a P-256 key.");
                    }

                    _ = ecdsa.ExportParameters(true);
                    return new(PassportSigningKey.FromECDsa(ecdsa));
                }
                catch
                {
                    ecdsa.Dispose();
                    throw;
                }
            }

            var rsa = RSA.Create();
            try
            {
                rsa.ImportFromPem(pem);
                _ = rsa.ExportParameters(true);
                return new(PassportSigningKey.FromRsa(rsa, algorithm));
            }
            catch
            {
                rsa.Dispose();
                throw;
            }
        }
        catch (Exception ex) when (ex is CryptographicException or ArgumentException)
        {
            throw new FormatException($"The file does not hold a private key for {algorithm}: {ex.Message}", ex);
        }
    }

    /// <summary>Computes the RFC 7638 thumbprint (<c>cnf.jkt</c>) of a holder's public JWK (private members, if any, are ignored), to bind a Passport to a key held elsewhere.</summary>
    /// <param name="publicJwkJson">The JWK: EC P-256 or RSA of at least 2048 bits.</param>
    /// <returns>The thumbprint.</returns>
    /// <exception cref="FormatException">The JWK is not such a key.</exception>
    public static string ComputeThumbprint(string publicJwkJson)
    {
        ArgumentNullException.ThrowIfNull(publicJwkJson);
        return PassportVerificationKey.FromJwk(publicJwkJson).KeyId;
    }

    /// <summary>Exports the private key as a JWK (with <c>alg</c>). Handle the text as a secret: store it owner-only.</summary>
    /// <returns>The private JWK JSON.</returns>
    public string ToPrivateJwkJson()
    {
        var members = new SortedDictionary<string, string>(StringComparer.Ordinal);
        byte[] pkcs8 = _key.ExportPkcs8();
        try
        {
            if (Algorithm == PassportAlgorithms.ES256)
            {
                using var ecdsa = ECDsa.Create();
                ecdsa.ImportPkcs8PrivateKey(pkcs8, out _);
                var p = ecdsa.ExportParameters(true);
                members["kty"] = "EC";
                members["crv"] = "P-256";
                members["x"] = CanonicalBase64Url.Encode(p.Q.X);
                members["y"] = CanonicalBase64Url.Encode(p.Q.Y);
                members["d"] = CanonicalBase64Url.Encode(p.D);
                CryptographicOperations.ZeroMemory(p.D);
            }
            else
            {
                using var rsa = RSA.Create();
                rsa.ImportPkcs8PrivateKey(pkcs8, out _);
                var p = rsa.ExportParameters(true);
                members["kty"] = "RSA";
                members["n"] = CanonicalBase64Url.Encode(p.Modulus);
                members["e"] = CanonicalBase64Url.Encode(p.Exponent);
                members["d"] = CanonicalBase64Url.Encode(p.D);
                members["p"] = CanonicalBase64Url.Encode(p.P);
                members["q"] = CanonicalBase64Url.Encode(p.Q);
                members["dp"] = CanonicalBase64Url.Encode(p.DP);
                members["dq"] = CanonicalBase64Url.Encode(p.DQ);
                members["qi"] = CanonicalBase64Url.Encode(p.InverseQ);
                CryptographicOperations.ZeroMemory(p.D);
                CryptographicOperations.ZeroMemory(p.P);
                CryptographicOperations.ZeroMemory(p.Q);
                CryptographicOperations.ZeroMemory(p.DP);
                CryptographicOperations.ZeroMemory(p.DQ);
                CryptographicOperations.ZeroMemory(p.InverseQ);
            }
        }
        finally
        {
            CryptographicOperations.ZeroMemory(pkcs8);
        }

        members["alg"] = Algorithm;
        return WriteObject(members);
    }

    /// <summary>Signs <paramref name="signingInput"/> (the ASCII of a proof's <c>header.payload</c>).</summary>
    internal byte[] Sign(ReadOnlySpan<byte> signingInput) => _key.Sign(signingInput);

    /// <inheritdoc />
    public void Dispose() => _key.Dispose();

    /// <inheritdoc />
    public override string ToString() => $"PassportHolderKey ({Algorithm}, jkt {Thumbprint}; private key not shown)";

    private static PassportHolderKey FromJwk(JsonElement jwk)
    {
        if (jwk.ValueKind != JsonValueKind.Object)
        {
            throw new FormatException("A holder JWK must be a JSON object.");
        }

        string kty = Text(jwk, "kty") ?? throw new FormatException("The holder JWK has no 'kty'.");
        string? alg = Text(jwk, "alg");
        if (alg is not null && !PassportAlgorithms.IsSupported(alg))
        {
            throw new FormatException($"The holder JWK's alg '{alg}' is not supported (ES256, RS256 or PS256; never symmetric).");
        }

        PassportSigningKey key;
        switch (kty)
        {
            case "EC" when alg is null or PassportAlgorithms.ES256:
                if (Text(jwk, "crv") != "P-256")
                {
                    throw new FormatException("A holder EC key must be on the P-256 curve.");
                }

                var ec = new ECParameters
                {
                    Curve = ECCurve.NamedCurves.nistP256,
                    Q = new ECPoint { X = Bytes(jwk, "x", 32), Y = Bytes(jwk, "y", 32) },
                    D = Bytes(jwk, "d", 32),
                };
                key = Create(() => PassportSigningKey.FromECDsa(ECDsa.Create(ec)));
                CryptographicOperations.ZeroMemory(ec.D);
                break;

            case "RSA" when alg is null or PassportAlgorithms.RS256 or PassportAlgorithms.PS256:
                var rsa = new RSAParameters
                {
                    Modulus = Bytes(jwk, "n"),
                    Exponent = Bytes(jwk, "e"),
                    D = Bytes(jwk, "d"),
                    P = Bytes(jwk, "p"),
                    Q = Bytes(jwk, "q"),
                    DP = Bytes(jwk, "dp"),
                    DQ = Bytes(jwk, "dq"),
                    InverseQ = Bytes(jwk, "qi"),
                };
                key = Create(() => PassportSigningKey.FromRsa(RSA.Create(rsa), alg ?? PassportAlgorithms.RS256));
                CryptographicOperations.ZeroMemory(rsa.D);
                CryptographicOperations.ZeroMemory(rsa.P);
                CryptographicOperations.ZeroMemory(rsa.Q);
                break;

            case "oct":
                throw new FormatException("A holder key is never symmetric ('oct'): use an EC P-256 or RSA (≥ 2048 bits) key.");

            default:
                throw new FormatException($"A '{kty}' key cannot be a holder key{(alg is null ? string.Empty : $" for '{alg}'")} (EC P-256 for ES256, RSA ≥ 2048 bits for RS256/PS256).");
        }

        // The private and public members must belong together: a key whose d does not match x,y would sign proofs no
        // verifier accepts under the thumbprint it advertises.
        var holder = new PassportHolderKey(key);
        if (!holder.PublicKey.Verify(SelfTestInput, holder.Sign(SelfTestInput)))
        {
            holder.Dispose();
            throw new FormatException("The holder JWK's private and public members do not belong to one key.");
        }

        return holder;
    }

    private static PassportSigningKey Create(Func<PassportSigningKey> create)
    {
        try
        {
            return create();
        }
        catch (Exception ex) when (ex is CryptographicException or ArgumentException)
        {
            throw new FormatException($"The holder JWK is not a valid private key: {ex.Message}", ex);
        }
    }

    private static string BuildPublicJwk(PassportVerificationKey key) => WriteObject(key.Jwk);

    private static string WriteObject(SortedDictionary<string, string> members)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream))
        {
            writer.WriteStartObject();
            foreach (var (name, value) in members)
            {
                writer.WriteString(name, value);
            }

            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }

    private static string? Text(JsonElement obj, string name) =>
        obj.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    private static byte[] Bytes(JsonElement obj, string name, int length = 0)
    {
        string text = Text(obj, name) ?? throw new FormatException($"The holder JWK has no '{name}' (a private JWK is needed).");
        byte[] bytes = CanonicalBase64Url.DecodeCanonical(text) ?? throw new FormatException($"The holder JWK member '{name}' is not canonical base64url.");
        return length == 0 || bytes.Length == length ? bytes : throw new FormatException($"The holder JWK member '{name}' must be {length} bytes.");
    }
}
