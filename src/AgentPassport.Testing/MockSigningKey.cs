using System.Security.Cryptography;
using System.Text.Json.Nodes;

namespace AgentPassport.Testing;

/// <summary>A provider signing key of the test OpenID providers (RS256, PS256 or ES256) with its public JWK.</summary>
internal sealed class MockSigningKey : IDisposable
{
    private readonly RSA? _rsa;
    private readonly ECDsa? _ecdsa;

    public MockSigningKey(string algorithm, string keyId)
    {
        Algorithm = algorithm;
        KeyId = keyId;
        if (algorithm == "ES256")
        {
            _ecdsa = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            var p = _ecdsa.ExportParameters(false);
            Jwk = new JsonObject { ["kty"] = "EC", ["crv"] = "P-256", ["x"] = B64(p.Q.X!), ["y"] = B64(p.Q.Y!) };
        }
        else if (algorithm is "RS256" or "PS256")
        {
            _rsa = RSA.Create(2048);
            var p = _rsa.ExportParameters(false);
            Jwk = new JsonObject { ["kty"] = "RSA", ["n"] = B64(p.Modulus!), ["e"] = B64(p.Exponent!) };
        }
        else
        {
            throw new ArgumentException($"Test keys sign with RS256, PS256 or ES256, not '{algorithm}'.", nameof(algorithm));
        }

        Jwk["kid"] = keyId;
        Jwk["alg"] = algorithm;
        Jwk["use"] = "sig";
    }

    public string Algorithm { get; }

    public string KeyId { get; }

    public JsonObject Jwk { get; }

    public byte[] Sign(byte[] data) => Algorithm switch
    {
        "ES256" => _ecdsa!.SignData(data, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation),
        "RS256" => _rsa!.SignData(data, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1),
        _ => _rsa!.SignData(data, HashAlgorithmName.SHA256, RSASignaturePadding.Pss),
    };

    public void Dispose()
    {
        _rsa?.Dispose();
        _ecdsa?.Dispose();
    }

    internal static string B64(byte[] data) => Convert.ToBase64String(data).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
