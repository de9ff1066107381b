using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using AgentPassport.Internal;
using AgentPassport.Tests.Support;
using Microsoft.Extensions.Time.Testing;

namespace AgentPassport.Tests.Keys;

/// <summary>
/// Issue 13 item 1: a factorable 512-bit RSA modulus padded with zero octets to 256 bytes must not pass the 2048-bit
/// floor (RFC 7518 §6.3.1.1: n and e carry no leading zero octets) in any reader of public keys.
/// </summary>
public sealed class RsaKeySizeFloorTests : IDisposable
{
    private readonly RSA _weak = RSA.Create(512);

    [Fact]
    public void FromJwk_RefusesAZeroPaddedShortModulus() =>
        Assert.Throws<FormatException>(() => PassportVerificationKey.FromJwk(PaddedJwk().ToJsonString(), PassportAlgorithms.RS256));

    [Fact]
    public void FromJwk_RefusesALeadingZeroInAFullSizeModulusOrTheExponent()
    {
        using var strong = RSA.Create(2048);
        var p = strong.ExportParameters(false);
        var zeroN = Jwk([0, .. p.Modulus!], p.Exponent!);
        var zeroE = Jwk(p.Modulus!, [0, .. p.Exponent!]);

        Assert.Throws<FormatException>(() => PassportVerificationKey.FromJwk(zeroN.ToJsonString(), PassportAlgorithms.RS256));
        Assert.Throws<FormatException>(() => PassportVerificationKey.FromJwk(zeroE.ToJsonString(), PassportAlgorithms.RS256));
        Assert.NotNull(PassportVerificationKey.FromJwk(Jwk(p.Modulus!, p.Exponent!).ToJsonString(), PassportAlgorithms.RS256));
    }

    [Fact]
    public void FromJwk_RefusesA2040BitModulusOf256Bytes()
    {
        // 256 bytes without a leading zero but with the top bits clear: fewer than 2048 bits (a byte count is not a size).
        using var strong = RSA.Create(2048);
        var p = strong.ExportParameters(false);
        byte[] n = [.. p.Modulus!];
        n[0] = 0x01;

        Assert.Throws<FormatException>(() => PassportVerificationKey.FromJwk(Jwk(n, p.Exponent!).ToJsonString(), PassportAlgorithms.RS256));
    }

    [Fact]
    public void JwksImport_AndTheOpenIdProviderKeySet_SkipThePaddedKey()
    {
        var jwks = new JsonObject { ["keys"] = new JsonArray(PaddedJwk()) };
        using var doc = JsonDocument.Parse(jwks.ToJsonString());

        Assert.Empty(Jwks.Import(jwks.ToJsonString()));
        Assert.Equal(0, JwksKeySet.Read(doc.RootElement, [PassportAlgorithms.RS256], DateTimeOffset.UnixEpoch, requireThumbprintKid: true)!.Count);
        var withKid = new JsonObject { ["keys"] = new JsonArray(PaddedJwk(kid: "k1")) };
        using var doc2 = JsonDocument.Parse(withKid.ToJsonString());
        Assert.Equal(0, JwksKeySet.Read(doc2.RootElement, [PassportAlgorithms.RS256], DateTimeOffset.UnixEpoch)!.Count);
    }

    [Fact]
    public async Task Rs256PassportSignedByThePaddedWeakKey_IsNotAccepted()
    {
        // End to end: a verifier handed the padded JWKS never trusts the 512-bit key, so the forgery is KeyNotFound.
        var resolver = JwksPassportKeyResolver.FromJson(new JsonObject { ["keys"] = new JsonArray(PaddedJwk()) }.ToJsonString());
        var verifier = new PassportVerifier(resolver, new FakeTimeProvider(TokenForge.Now));
        var policy = new VerificationPolicy(TokenForge.Issuer, TokenForge.Audience) { AllowedAlgorithms = new HashSet<string> { PassportAlgorithms.RS256 } };
        string header = TokenForge.B64(new JsonObject { ["alg"] = "RS256", ["typ"] = PassportClaimNames.TokenType, ["kid"] = WeakThumbprint() }.ToJsonString());
        string input = header + "." + TokenForge.B64(TokenForge.ToJson(TokenForge.RootClaims()));
        string token = input + "." + TokenForge.B64(_weak.SignData(Encoding.ASCII.GetBytes(input), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));

        var result = await verifier.ValidateAsync(token, policy);

        Assert.Equal(PassportErrorKind.KeyNotFound, result.Error!.Kind);
    }

    public void Dispose() => _weak.Dispose();

    private static JsonObject Jwk(byte[] n, byte[] e) => new()
    {
        ["kty"] = "RSA",
        ["n"] = CanonicalBase64Url.Encode(n),
        ["e"] = CanonicalBase64Url.Encode(e),
        ["alg"] = "RS256",
        ["use"] = "sig",
    };

    private JsonObject PaddedJwk(string? kid = null)
    {
        var p = _weak.ExportParameters(false);
        byte[] padded = new byte[256];
        p.Modulus!.CopyTo(padded, 256 - p.Modulus!.Length);
        var jwk = Jwk(padded, p.Exponent!);
        if (kid is not null)
        {
            jwk["kid"] = kid;
        }

        return jwk;
    }

    /// <summary>The RFC 7638 thumbprint of the weak key in its minimal form: the kid the old import gave it.</summary>
    private string WeakThumbprint()
    {
        var p = _weak.ExportParameters(false);
        string canonical = $$"""{"e":"{{CanonicalBase64Url.Encode(p.Exponent!)}}","kty":"RSA","n":"{{CanonicalBase64Url.Encode(p.Modulus!)}}"}""";
        return CanonicalBase64Url.Encode(SHA256.HashData(Encoding.UTF8.GetBytes(canonical)));
    }
}
