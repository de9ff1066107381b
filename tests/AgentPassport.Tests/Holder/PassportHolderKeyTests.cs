using System.Security.Cryptography;
using System.Text.Json.Nodes;

namespace AgentPassport.Tests.Holder;

/// <summary>Holder keys: ES256 by default, RSA ≥ 2048 by configuration, never symmetric; round trips; no key material in ToString.</summary>
public sealed class PassportHolderKeyTests
{
    [Fact]
    public void Generate_IsEs256_WithAnRfc7638Thumbprint()
    {
        using var key = PassportHolderKey.Generate();
        Assert.Equal("ES256", key.Algorithm);
        Assert.Equal(43, key.Thumbprint.Length);
        var jwk = JsonNode.Parse(key.PublicJwkJson)!.AsObject();
        Assert.Equal(["crv", "kty", "x", "y"], jwk.Select(m => m.Key).Order());

        // RFC 7638 §3: SHA-256 over the required members in lexicographic order, no whitespace (this is that text).
        var expected = System.Buffers.Text.Base64Url.EncodeToString(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(
            $"{{\"crv\":\"P-256\",\"kty\":\"EC\",\"x\":\"{jwk["x"]}\",\"y\":\"{jwk["y"]}\"}}")));
        Assert.Equal(expected, key.Thumbprint);
        Assert.Equal(key.Thumbprint, PassportHolderKey.ComputeThumbprint(key.PublicJwkJson));
    }

    [Fact]
    public void Rfc7638Example_RsaThumbprint()
    {
        // RFC 7638 §3.1's example key and thumbprint.
        const string Jwk = """{"kty":"RSA","n":"0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_BJECPebWKRXjBZCiFV4n3oknjhMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_FDW2QvzqY368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6qMQvRL5hajrn1n91CbOpbISD08qNLyrdkt-bFTWhAI4vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw","e":"AQAB","alg":"RS256","kid":"2011-04-29"}""";
        Assert.Equal("NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs", PassportHolderKey.ComputeThumbprint(Jwk));
    }

    [Theory]
    [InlineData("ES256")]
    [InlineData("RS256")]
    [InlineData("PS256")]
    public void PrivateJwk_RoundTrips_ToTheSameKey(string algorithm)
    {
        using var key = PassportHolderKey.Generate(algorithm);
        string jwk = key.ToPrivateJwkJson();
        using var back = PassportHolderKey.FromJwk(jwk);
        Assert.Equal(key.Thumbprint, back.Thumbprint);
        Assert.Equal(algorithm, back.Algorithm);
        Assert.Contains("\"d\"", jwk, StringComparison.Ordinal);
    }

    [Fact]
    public void ToString_NamesTheThumbprint_NeverKeyMaterial()
    {
        using var key = PassportHolderKey.Generate();
        var d = JsonNode.Parse(key.ToPrivateJwkJson())!["d"]!.GetValue<string>();
        string text = key.ToString();
        Assert.Contains(key.Thumbprint, text, StringComparison.Ordinal);
        Assert.DoesNotContain(d, text, StringComparison.Ordinal);
        Assert.DoesNotContain("\"x\"", text, StringComparison.Ordinal);
    }

    [Fact]
    public void SymmetricJwk_IsRefused()
    {
        var ex = Assert.Throws<FormatException>(() => PassportHolderKey.FromJwk("""{"kty":"oct","k":"c2VjcmV0c2VjcmV0c2VjcmV0c2VjcmV0"}"""));
        Assert.Contains("symmetric", ex.Message, StringComparison.Ordinal);
        Assert.Throws<FormatException>(() => PassportHolderKey.FromJwk("""{"kty":"EC","crv":"P-256","alg":"HS256","x":"AA","y":"AA","d":"AA"}"""));
    }

    [Fact]
    public void PublicOnlyJwk_IsRefused()
    {
        using var key = PassportHolderKey.Generate();
        Assert.Throws<FormatException>(() => PassportHolderKey.FromJwk(key.PublicJwkJson));
    }

    [Fact]
    public void UndersizedRsa_IsRefused()
    {
        using var rsa = RSA.Create(1024);
        var p = rsa.ExportParameters(true);
        static string B(byte[] b) => System.Buffers.Text.Base64Url.EncodeToString(b);
        string jwk = $$"""{"kty":"RSA","n":"{{B(p.Modulus!)}}","e":"{{B(p.Exponent!)}}","d":"{{B(p.D!)}}","p":"{{B(p.P!)}}","q":"{{B(p.Q!)}}","dp":"{{B(p.DP!)}}","dq":"{{B(p.DQ!)}}","qi":"{{B(p.InverseQ!)}}"}""";
        Assert.Throws<FormatException>(() => PassportHolderKey.FromJwk(jwk));
    }

    [Fact]
    public void PrivatePartOfAnotherKey_IsRefused()
    {
        using var a = PassportHolderKey.Generate();
        using var b = PassportHolderKey.Generate();
        var mixed = JsonNode.Parse(a.ToPrivateJwkJson())!.AsObject();
        mixed["d"] = JsonNode.Parse(b.ToPrivateJwkJson())!["d"]!.GetValue<string>();
        Assert.Throws<FormatException>(() => PassportHolderKey.FromJwk(mixed.ToJsonString()));
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("[]")]
    [InlineData("{}")]
    [InlineData("""{"kty":"OKP","crv":"Ed25519","x":"AA","d":"AA"}""")]
    public void MalformedJwk_IsFormatException(string jwk) =>
        Assert.Throws<FormatException>(() => PassportHolderKey.FromJwk(jwk));

    [Fact]
    public void UnsupportedAlgorithm_IsRefused()
    {
        Assert.Throws<ArgumentException>(() => PassportHolderKey.Generate("HS256"));
        Assert.Throws<ArgumentException>(() => PassportHolderKey.Generate("none"));
    }

    [Fact]
    public void FromPemFile_ReadsPkcs8AndSec1_AndRefusesTheWrongType()
    {
        string dir = Directory.CreateTempSubdirectory("holder-pem").FullName;
        try
        {
            using var ec = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            string pkcs8 = Path.Combine(dir, "ec.pem");
            File.WriteAllText(pkcs8, ec.ExportPkcs8PrivateKeyPem());
            string sec1 = Path.Combine(dir, "ec-sec1.pem");
            File.WriteAllText(sec1, ec.ExportECPrivateKeyPem());
            using var a = PassportHolderKey.FromPemFile(pkcs8, "ES256");
            using var b = PassportHolderKey.FromPemFile(sec1, "ES256");
            Assert.Equal(a.Thumbprint, b.Thumbprint);
            Assert.Throws<FormatException>(() => PassportHolderKey.FromPemFile(pkcs8, "RS256"));

            using var p384 = ECDsa.Create(ECCurve.NamedCurves.nistP384);
            string other = Path.Combine(dir, "p384.pem");
            File.WriteAllText(other, p384.ExportPkcs8PrivateKeyPem());
            Assert.Throws<FormatException>(() => PassportHolderKey.FromPemFile(other, "ES256"));

            using var rsa = RSA.Create(2048);
            string rsaPem = Path.Combine(dir, "rsa.pem");
            File.WriteAllText(rsaPem, rsa.ExportRSAPrivateKeyPem());
            using var r = PassportHolderKey.FromPemFile(rsaPem, "PS256");
            Assert.Equal("PS256", r.Algorithm);

            string publicOnly = Path.Combine(dir, "pub.pem");
            File.WriteAllText(publicOnly, ec.ExportSubjectPublicKeyInfoPem());
            Assert.Throws<FormatException>(() => PassportHolderKey.FromPemFile(publicOnly, "ES256"));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
