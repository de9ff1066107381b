using System.Security.Cryptography;
using System.Text.Json.Nodes;
using AgentPassport.Tests.Support;

namespace AgentPassport.Tests.Keys;

/// <summary>Spec §7 keys: RFC 7638 kids, JWKS export/import, exact kid lookup, algorithm binding and rotation.</summary>
public sealed class KeysTests
{
    // RFC 7638 §3.1: the example RSA key and its SHA-256 thumbprint.
    private const string Rfc7638N = "0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_BJECPebWKRXjBZCiFV4n3oknjhMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_FDW2QvzqY368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6qMQvRL5hajrn1n91CbOpbISD08qNLyrdkt-bFTWhAI4vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw";
    private const string Rfc7638Thumbprint = "NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs";

    [Fact]
    public void Thumbprint_Rfc7638KnownAnswer()
    {
        string jwk = $$"""{"kty":"RSA","n":"{{Rfc7638N}}","e":"AQAB","alg":"RS256","kid":"2011-04-29"}""";

        var key = PassportVerificationKey.FromJwk(jwk);

        Assert.Equal(Rfc7638Thumbprint, key.KeyId);
        Assert.Equal("RS256", key.Algorithm);
    }

    [Fact]
    public void Thumbprint_EcKey_IsSha256OfCanonicalMembers()
    {
        using var key = PassportSigningKey.Generate();
        var jwk = JsonNode.Parse(key.PublicKey.ToJwkJson())!;
        string canonical = $$"""{"crv":"P-256","kty":"EC","x":"{{jwk["x"]}}","y":"{{jwk["y"]}}"}""";

        Assert.Equal(TokenForge.B64(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(canonical))), key.KeyId);
        Assert.Equal(key.KeyId, jwk["kid"]!.GetValue<string>());
        Assert.Equal("sig", jwk["use"]!.GetValue<string>());
        Assert.Null(jwk["d"]);
    }

    [Theory]
    [InlineData("ES256")]
    [InlineData("RS256")]
    [InlineData("PS256")]
    public void SigningKey_SignsAndVerifiesWithItsOneAlgorithm(string alg)
    {
        using var key = PassportSigningKey.Generate(alg);
        byte[] input = "header.payload"u8.ToArray();

        byte[] sig = key.Sign(input);

        Assert.Equal(alg, key.Algorithm);
        Assert.Equal(alg, key.PublicKey.Algorithm);
        Assert.True(key.PublicKey.Verify(input, sig));
        Assert.False(key.PublicKey.Verify("header.payloaX"u8, sig));
    }

    [Fact]
    public void Generate_RefusesUnsupportedAlgorithms()
    {
        Assert.Throws<ArgumentException>(() => PassportSigningKey.Generate("HS256"));
        Assert.Throws<ArgumentException>(() => PassportSigningKey.Generate("none"));
        Assert.Throws<ArgumentException>(() => PassportSigningKey.Generate("ES384"));
    }

    [Fact]
    public void Pkcs8_RoundTripKeepsTheKid()
    {
        using var key = PassportSigningKey.Generate();
        using var again = PassportSigningKey.ImportPkcs8(key.ExportPkcs8(), PassportAlgorithms.ES256);

        Assert.Equal(key.KeyId, again.KeyId);
        Assert.True(key.PublicKey.Verify("x"u8, again.Sign("x"u8)));
    }

    [Fact]
    public void FromJwk_RefusesConflictingOrUnsupportedKeys()
    {
        using var ec = PassportSigningKey.Generate();
        string jwk = ec.PublicKey.ToJwkJson();

        Assert.Throws<FormatException>(() => PassportVerificationKey.FromJwk(jwk, "RS256"));
        Assert.Throws<FormatException>(() => PassportVerificationKey.FromJwk("""{"kty":"oct","k":"AAAA"}"""));
        Assert.Throws<FormatException>(() => PassportVerificationKey.FromJwk("""{"kty":"EC","crv":"P-384","x":"AAAA","y":"AAAA"}"""));
        Assert.Throws<FormatException>(() => PassportVerificationKey.FromJwk("""{"kty":"RSA","n":"AQAB","e":"AQAB"}"""));
        Assert.Throws<FormatException>(() => PassportVerificationKey.FromJwk("not json"));
        Assert.Throws<FormatException>(() => PassportVerificationKey.FromJwk("{\"kty\":\"EC\",\"x\":\"" + '\uD800' + "\"}"));
        Assert.Throws<FormatException>(() => Jwks.Import("{\"keys\":[\"" + '\uD800' + "\"]}"));
        Assert.Throws<FormatException>(() => PassportVerificationKey.FromJwk("[]"));
    }

    [Theory]
    [InlineData("")]
    [InlineData("AQABAQABAQAB")]
    public void FromJwk_RefusesAnEmptyOrHugeRsaExponent(string e)
    {
        // Found by JwksImportFuzzTests: RSA.Create threw IndexOutOfRangeException for "e": "".
        using var rsa = PassportSigningKey.Generate(PassportAlgorithms.RS256);
        var jwk = JsonNode.Parse(rsa.PublicKey.ToJwkJson())!.AsObject();
        jwk["e"] = e;

        Assert.Throws<FormatException>(() => PassportVerificationKey.FromJwk(jwk.ToJsonString()));
        Assert.Empty(Jwks.Import(new JsonObject { ["keys"] = new JsonArray(jwk.DeepClone()) }.ToJsonString()));
    }

    [Fact]
    public void FromJwk_RefusesAPointNotOnTheCurve()
    {
        using var ec = PassportSigningKey.Generate();
        var jwk = JsonNode.Parse(ec.PublicKey.ToJwkJson())!.AsObject();
        byte[] y = TokenForge.Unb64(jwk["y"]!.GetValue<string>());
        y[^1] ^= 1;
        jwk["y"] = TokenForge.B64(y);

        Assert.Throws<FormatException>(() => PassportVerificationKey.FromJwk(jwk.ToJsonString()));
    }

    [Fact]
    public void Jwks_ExportImportRoundTrip()
    {
        using var es = PassportSigningKey.Generate();
        using var rs = PassportSigningKey.Generate(PassportAlgorithms.RS256);

        var imported = Jwks.Import(Jwks.Export([es.PublicKey, rs.PublicKey]));

        Assert.Equal([es.KeyId, rs.KeyId], imported.Select(k => k.KeyId));
        Assert.Equal(["ES256", "RS256"], imported.Select(k => k.Algorithm));
    }

    [Theory]
    [InlineData("""{"use":"enc"}""")]
    [InlineData("""{"key_ops":["encrypt"]}""")]
    [InlineData("""{"key_ops":[]}""")]
    [InlineData("""{"key_ops":"verify"}""")]
    [InlineData("""{"kid":"not-the-thumbprint"}""")]
    [InlineData("""{"alg":"HS256"}""")]
    public void Jwks_Import_SkipsKeysThatMustNotVerifyPassports(string overrides)
    {
        using var key = PassportSigningKey.Generate();
        var jwk = JsonNode.Parse(key.PublicKey.ToJwkJson())!.AsObject();
        jwk.Remove("use");
        foreach (var (name, value) in JsonNode.Parse(overrides)!.AsObject())
        {
            jwk[name] = value?.DeepClone();
        }

        Assert.Empty(Jwks.Import(new JsonObject { ["keys"] = new JsonArray(jwk) }.ToJsonString()));
    }

    [Fact]
    public void Jwks_Import_KeepsVerifyKeyOps()
    {
        using var key = PassportSigningKey.Generate();
        var jwk = JsonNode.Parse(key.PublicKey.ToJwkJson())!.AsObject();
        jwk["key_ops"] = new JsonArray("verify");

        Assert.Single(Jwks.Import(new JsonObject { ["keys"] = new JsonArray(jwk) }.ToJsonString()));
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("[]")]
    [InlineData("""{"keys":{}}""")]
    [InlineData("{}")]
    public void Jwks_Import_RefusesNonJwks(string json)
    {
        var ex = Assert.Throws<FormatException>(() => Jwks.Import(json));
        if (json != "not json")
        {
            Assert.Contains("not a valid JWKS", ex.Message, StringComparison.OrdinalIgnoreCase);
        }
    }

    [Fact]
    public async Task Resolver_LooksUpExactKidOnly()
    {
        using var key = PassportSigningKey.Generate();
        var resolver = JwksPassportKeyResolver.FromJson(Jwks.Export([key.PublicKey]));

        Assert.Same(resolver.Keys[0], await resolver.FindKeyAsync(key.KeyId));
        Assert.Null(await resolver.FindKeyAsync(key.KeyId.ToUpperInvariant()));
        Assert.Null(await resolver.FindKeyAsync(key.KeyId + " "));
        Assert.Null(await resolver.FindKeyAsync(key.KeyId[..^1]));
        Assert.Null(await resolver.FindKeyAsync(""));
    }

    [Fact]
    public async Task Rotation_KeepsOldPublicKeysForVerification()
    {
        using var ctx = new PassportTestContext();
        var before = ctx.IssueAlice();
        string oldKid = ctx.Keys.CurrentSigningKey.KeyId;

        var next = ctx.Keys.Rotate();
        var after = ctx.IssueAlice();

        Assert.NotEqual(oldKid, next.KeyId);
        Assert.Equal([next.KeyId, oldKid], ctx.Keys.VerificationKeys.Select(k => k.KeyId));
        Assert.Equal(next.KeyId, TokenForge.HeaderOf(after.Token)["kid"]!.GetValue<string>());
        Assert.True((await ctx.Verifier.ValidateAsync(before.Token, PassportTestContext.Policy(PassportTestContext.AliceAudience))).Succeeded);
        Assert.True((await ctx.Verifier.ValidateAsync(after.Token, PassportTestContext.Policy(PassportTestContext.AliceAudience))).Succeeded);
        Assert.Equal(2, Jwks.Import(ctx.Keys.ExportJwks()).Count);
    }

    [Fact]
    public async Task Rotation_ChainSpanningTheRotationVerifies()
    {
        using var ctx = new PassportTestContext();
        var alice = ctx.IssueAlice();
        ctx.Keys.Rotate();
        var bob = await ctx.DelegateAsync(alice, "agent:bob", ["flights:*"], PassportTestContext.BobAudience);

        var result = await ctx.ValidateAsync(bob);

        Assert.True(result.Succeeded, result.Error?.ToString());
        Assert.NotEqual(TokenForge.HeaderOf(alice.Token)["kid"]!.ToString(), TokenForge.HeaderOf(bob.Token)["kid"]!.ToString());
    }

    [Fact]
    public async Task KeyCompromise_RemovingTheKeyFromTheVerifiersJwks_RejectsItsTokens()
    {
        // Rotation keeps old keys; after a compromise the verifier must be given a JWKS without the compromised key.
        using var ctx = new PassportTestContext();
        var stolen = ctx.IssueAlice();
        var compromised = ctx.Keys.CurrentSigningKey.KeyId;
        ctx.Keys.Rotate();
        var cleanJwks = Jwks.Export(ctx.Keys.VerificationKeys.Where(k => k.KeyId != compromised));
        var verifier = new PassportVerifier(JwksPassportKeyResolver.FromJson(cleanJwks), ctx.Time);

        var result = await verifier.ValidateAsync(stolen.Token, PassportTestContext.Policy(PassportTestContext.AliceAudience));

        Assert.Equal(PassportErrorKind.KeyNotFound, result.Error!.Kind);
        Assert.True((await verifier.ValidateAsync(ctx.IssueAlice().Token, PassportTestContext.Policy(PassportTestContext.AliceAudience))).Succeeded);
    }
}
