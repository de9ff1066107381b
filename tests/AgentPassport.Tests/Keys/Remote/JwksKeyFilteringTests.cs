using System.Text.Json.Nodes;
using AgentPassport.TestSupport.Keys;

namespace AgentPassport.Tests.Keys.Remote;

/// <summary>
/// The shared JWKS key set keeps only signature-verification keys: RFC 7517 <c>key_ops</c> without <c>verify</c> is skipped
/// by the remote resolver (the OpenID provider client's side is in the identity tests), and a Passport issuer's kid must
/// be the key's thumbprint.
/// </summary>
public sealed class JwksKeyFilteringTests : IAsyncLifetime
{
    private RemoteIssuer _issuer = null!;

    public async Task InitializeAsync() => _issuer = await RemoteIssuer.StartAsync();

    public async Task DisposeAsync() => await _issuer.DisposeAsync();

    [Theory]
    [InlineData("[\"encrypt\"]", false)]
    [InlineData("[\"verify\"]", true)]
    public async Task RemoteResolver_SkipsKeysWhoseKeyOpsLackVerify(string keyOps, bool usable)
    {
        _issuer.Server.JwksJson = WithMember(_issuer.Keys.ExportJwks(), "key_ops", keyOps);
        using var resolver = _issuer.Resolver();

        var result = await _issuer.Verifier(resolver).ValidateAsync(_issuer.Mint(), RemoteIssuer.Policy);

        Assert.Equal(usable, result.Succeeded);
        Assert.Equal(usable ? null : PassportErrorKind.KeyNotFound, result.Error?.Kind);
    }

    [Fact]
    public async Task RemoteResolver_KeepsOnlySignatureKeysWhoseKidIsTheirThumbprint()
    {
        var good = JsonNode.Parse(_issuer.Keys.ExportJwks())!["keys"]![0]!.AsObject();
        string kid = good["kid"]!.GetValue<string>();
        JsonObject Variant(Action<JsonObject> edit)
        {
            var copy = good.DeepClone().AsObject();
            edit(copy);
            return copy;
        }

        void Serve(params JsonObject[] keys) => _issuer.Server.JwksJson = new JsonObject { ["keys"] = new JsonArray(keys) }.ToJsonString();

        async Task<PassportVerificationKey?> FreshLookup(string id)
        {
            using var resolver = _issuer.Resolver();
            return await resolver.FindKeyAsync(id);
        }

        Serve(Variant(k => k["kid"] = "not-the-thumbprint"));
        Assert.Null(await FreshLookup("not-the-thumbprint"));
        Serve(Variant(k => k["use"] = "enc"));
        Assert.Null(await FreshLookup(kid));
        Serve(Variant(k => k["alg"] = "HS256"));
        Assert.Null(await FreshLookup(kid));
        Serve(Variant(k => k["alg"] = "RS256"));
        Assert.Null(await FreshLookup(kid));
        Serve(Variant(k => k["kid"] = 42));
        Assert.Null(await FreshLookup(kid));

        // A missing kid is the thumbprint; alg absent binds the one EC algorithm.
        Serve(Variant(k => { k.Remove("kid"); k.Remove("alg"); }));
        Assert.Equal(PassportAlgorithms.ES256, (await FreshLookup(kid))?.Algorithm);
        Serve(good.DeepClone().AsObject());
        Assert.Equal(kid, (await FreshLookup(kid))?.KeyId);
    }

    [Fact]
    public async Task RemoteResolver_RsaKeyWithoutAlg_IsAmbiguousByKidAlone()
    {
        using var rsa = new InMemoryPassportKeyStore(PassportAlgorithms.RS256);
        var jwk = JsonNode.Parse(rsa.ExportJwks())!["keys"]![0]!.AsObject();
        jwk.Remove("alg");
        _issuer.Server.JwksJson = new JsonObject { ["keys"] = new JsonArray(jwk.DeepClone()) }.ToJsonString();
        using var both = _issuer.Resolver();
        using var rs256Only = _issuer.Resolver(configure: o => o.AllowedAlgorithms = [PassportAlgorithms.RS256]);

        // RS256 and PS256 both fit an RSA key: without the header alg the lookup cannot choose, so it finds nothing.
        Assert.Null(await both.FindKeyAsync(rsa.CurrentSigningKey.KeyId));
        Assert.Equal(PassportAlgorithms.RS256, (await rs256Only.FindKeyAsync(rsa.CurrentSigningKey.KeyId))?.Algorithm);
    }

    private static string WithMember(string jwks, string name, string json)
    {
        var doc = JsonNode.Parse(jwks)!.AsObject();
        foreach (var key in doc["keys"]!.AsArray())
        {
            key!.AsObject()[name] = JsonNode.Parse(json);
        }

        return doc.ToJsonString();
    }
}
