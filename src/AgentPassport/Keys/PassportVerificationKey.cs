using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using AgentPassport.Internal;

namespace AgentPassport;

/// <summary>
/// A public key that verifies Passports, bound to exactly one algorithm and identified by its RFC 7638
/// SHA-256 thumbprint (<see cref="KeyId"/>). Immutable and thread-safe.
/// </summary>
public sealed class PassportVerificationKey
{
    /// <summary>The smallest RSA modulus accepted, in bits.</summary>
    internal const int MinRsaBits = 2048;

    private readonly ECDsa? _ecdsa;
    private readonly RSA? _rsa;

    internal PassportVerificationKey(string algorithm, ECDsa? ecdsa, RSA? rsa)
    {
        Algorithm = algorithm;
        _ecdsa = ecdsa;
        _rsa = rsa;
        Jwk = ecdsa is not null ? PublicEcJwk(ecdsa) : PublicRsaJwk(rsa!);
        KeyId = Thumbprint(Jwk);
    }

    /// <summary>Gets the RFC 7638 SHA-256 thumbprint of the public key, base64url: the <c>kid</c>.</summary>
    public string KeyId { get; }

    /// <summary>Gets the one algorithm this key verifies.</summary>
    public string Algorithm { get; }

    /// <summary>Gets the thumbprint members of the public JWK (<c>kty</c> and <c>crv,x,y</c> or <c>n,e</c>).</summary>
    internal SortedDictionary<string, string> Jwk { get; }

    /// <summary>Creates a verification key from a public JWK (JSON text). Private members are ignored.</summary>
    /// <param name="jwkJson">The JWK.</param>
    /// <param name="algorithm">The algorithm to bind when the JWK has no <c>alg</c>; a JWK <c>alg</c> that differs is refused.</param>
    /// <returns>The key.</returns>
    /// <exception cref="FormatException">The JWK is not a supported P-256 or RSA (≥ 2048 bits) public key, or its <c>alg</c> conflicts.</exception>
    public static PassportVerificationKey FromJwk(string jwkJson, string? algorithm = null)
    {
        ArgumentNullException.ThrowIfNull(jwkJson);
        try
        {
            using var doc = JsonDocument.Parse(jwkJson);
            return FromJwk(doc.RootElement, algorithm);
        }
        catch (JsonException ex)
        {
            throw new FormatException("The JWK is not valid JSON.", ex);
        }
        catch (ArgumentException ex)
        {
            // JsonDocument.Parse(string) throws ArgumentException for text that is not valid UTF-16 (a lone surrogate).
            throw new FormatException("The JWK is not valid text.", ex);
        }
    }

    internal static PassportVerificationKey FromJwk(JsonElement jwk, string? algorithm)
    {
        if (jwk.ValueKind != JsonValueKind.Object)
        {
            throw new FormatException("A JWK must be a JSON object.");
        }

        string kty = GetString(jwk, "kty") ?? throw new FormatException("The JWK has no 'kty'.");
        string? jwkAlg = GetString(jwk, "alg");
        if (jwkAlg is not null && algorithm is not null && jwkAlg != algorithm)
        {
            throw new FormatException($"The JWK's alg '{jwkAlg}' differs from the requested '{algorithm}'.");
        }

        string alg = jwkAlg ?? algorithm ?? (kty == "EC" ? PassportAlgorithms.ES256 : PassportAlgorithms.RS256);
        if (!PassportAlgorithms.IsSupported(alg))
        {
            throw new FormatException($"The algorithm '{alg}' is not supported.");
        }

        switch (kty)
        {
            case "EC" when alg == PassportAlgorithms.ES256:
                if (GetString(jwk, "crv") != "P-256")
                {
                    throw new FormatException("Only the P-256 curve is supported for EC keys.");
                }

                var ecParams = new ECParameters
                {
                    Curve = ECCurve.NamedCurves.nistP256,
                    Q = new ECPoint { X = DecodeFixed(jwk, "x", 32), Y = DecodeFixed(jwk, "y", 32) },
                };
                try
                {
                    return new PassportVerificationKey(alg, ECDsa.Create(ecParams), null);
                }
                catch (CryptographicException ex)
                {
                    throw new FormatException("The EC public key is not a valid P-256 point.", ex);
                }

            case "RSA" when alg is PassportAlgorithms.RS256 or PassportAlgorithms.PS256:
                var rsaParams = new RSAParameters { Modulus = Decode(jwk, "n"), Exponent = Decode(jwk, "e") };

                // RFC 7518 §6.3.1.1: n and e are unsigned big-endian integers in their minimal form. A leading zero octet
                // would let a short (factorable) modulus pass a byte-length floor, so it is refused outright.
                if (rsaParams.Modulus.Length == 0 || rsaParams.Modulus[0] == 0 || rsaParams.Exponent.Length is 0 or > 8 || rsaParams.Exponent[0] == 0)
                {
                    throw new FormatException("The RSA modulus and exponent must be minimal unsigned integers (no leading zero octets, RFC 7518 §6.3.1.1).");
                }

                if (BitLength(rsaParams.Modulus) < MinRsaBits)
                {
                    throw new FormatException($"RSA keys must be at least {MinRsaBits} bits.");
                }

                RSA rsa;
                try
                {
                    rsa = RSA.Create(rsaParams);
                }
                catch (CryptographicException ex)
                {
                    throw new FormatException("The RSA public key is invalid.", ex);
                }

                // The size the platform key reports, checked after import too: the floor holds whatever the encoding.
                if (rsa.KeySize < MinRsaBits)
                {
                    rsa.Dispose();
                    throw new FormatException($"RSA keys must be at least {MinRsaBits} bits.");
                }

                return new PassportVerificationKey(alg, null, rsa);

            default:
                throw new FormatException($"A '{kty}' key cannot be used with '{alg}'.");
        }
    }

    /// <summary>Gets the public JWK as JSON, with <c>kid</c>, <c>alg</c> and <c>use</c>.</summary>
    /// <returns>The JWK JSON text.</returns>
    public string ToJwkJson()
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream))
        {
            WriteJwk(writer);
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }

    internal void WriteJwk(Utf8JsonWriter writer)
    {
        writer.WriteStartObject();
        foreach (var (name, value) in Jwk)
        {
            writer.WriteString(name, value);
        }

        writer.WriteString("kid", KeyId);
        writer.WriteString("alg", Algorithm);
        writer.WriteString("use", "sig");
        writer.WriteEndObject();
    }

    /// <summary>Verifies a JWS signature over <paramref name="signingInput"/> with this key's one algorithm (ES256 signatures must be the 64-byte r‖s form).</summary>
    /// <param name="signingInput">The JWS signing input: ASCII of <c>header.payload</c>.</param>
    /// <param name="signature">The decoded signature.</param>
    /// <returns><see langword="true"/> when the signature is valid; <see langword="false"/> otherwise, never an exception.</returns>
    public bool Verify(ReadOnlySpan<byte> signingInput, ReadOnlySpan<byte> signature)
    {
        try
        {
            return Algorithm switch
            {
                // ES256 signatures are exactly 64 bytes (r‖s); anything else (DER, 63/65 bytes) is refused.
                PassportAlgorithms.ES256 => signature.Length == 64
                    && _ecdsa!.VerifyData(signingInput, signature, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation),
                PassportAlgorithms.RS256 => signature.Length == _rsa!.KeySize / 8
                    && _rsa.VerifyData(signingInput, signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1),
                PassportAlgorithms.PS256 => signature.Length == _rsa!.KeySize / 8
                    && _rsa.VerifyData(signingInput, signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pss),
                _ => false,
            };
        }
        catch (CryptographicException)
        {
            return false;
        }
    }

    internal static string Thumbprint(SortedDictionary<string, string> members)
    {
        // RFC 7638: required members only, lexicographic order, no whitespace.
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

        return CanonicalBase64Url.Encode(SHA256.HashData(stream.ToArray()));
    }

    internal static SortedDictionary<string, string> PublicEcJwk(ECDsa ecdsa)
    {
        var p = ecdsa.ExportParameters(false);
        return new(StringComparer.Ordinal)
        {
            ["crv"] = "P-256",
            ["kty"] = "EC",
            ["x"] = CanonicalBase64Url.Encode(p.Q.X),
            ["y"] = CanonicalBase64Url.Encode(p.Q.Y),
        };
    }

    internal static SortedDictionary<string, string> PublicRsaJwk(RSA rsa)
    {
        var p = rsa.ExportParameters(false);
        return new(StringComparer.Ordinal)
        {
            ["e"] = CanonicalBase64Url.Encode(p.Exponent),
            ["kty"] = "RSA",
            ["n"] = CanonicalBase64Url.Encode(p.Modulus),
        };
    }

    /// <summary>The bit length of a big-endian unsigned integer whose first octet is not zero.</summary>
    private static int BitLength(byte[] value) => ((value.Length - 1) * 8) + (32 - System.Numerics.BitOperations.LeadingZeroCount((uint)value[0]));

    private static string? GetString(JsonElement obj, string name) =>
        obj.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    private static byte[] Decode(JsonElement obj, string name) =>
        CanonicalBase64Url.DecodeCanonical(GetString(obj, name) ?? throw new FormatException($"The JWK has no '{name}'."))
        ?? throw new FormatException($"The JWK member '{name}' is not canonical base64url.");

    private static byte[] DecodeFixed(JsonElement obj, string name, int length)
    {
        byte[] bytes = Decode(obj, name);
        return bytes.Length == length ? bytes : throw new FormatException($"The JWK member '{name}' must be {length} bytes.");
    }
}
