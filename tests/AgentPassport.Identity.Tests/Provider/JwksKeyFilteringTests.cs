using System.Text.Json.Nodes;
using AgentPassport.Identity.Tests.Support;
using AgentPassport.Testing;
using AgentPassport.TestSupport.Keys;

namespace AgentPassport.Identity.Tests.Provider;

/// <summary>
/// The OpenID provider client keeps only signature-verification keys of a JWKS: RFC 7517 <c>key_ops</c> without
/// <c>verify</c> is skipped (the remote resolver's side, on the same shared key set, is in the core tests).
/// </summary>
public sealed class JwksKeyFilteringTests : IAsyncLifetime
{
    private RemoteIssuer _issuer = null!;

    public async Task InitializeAsync() => _issuer = await RemoteIssuer.StartAsync();

    public async Task DisposeAsync() => await _issuer.DisposeAsync();

    [Theory]
    [InlineData("[\"encrypt\"]", false)]
    [InlineData("[\"sign\"]", false)]
    [InlineData("[]", false)]
    [InlineData("\"verify\"", false)]
    [InlineData("[\"sign\",\"verify\"]", true)]
    public async Task OpenIdProviderClient_SkipsKeysWhoseKeyOpsLackVerify(string keyOps, bool usable)
    {
        var server = _issuer.Server;
        server.JwksJson = WithMember(server.Tokens.GetJwksJson(), "key_ops", keyOps);
        using var client = Oidc.Client(server.DiscoveryUrl);

        var keys = await client.GetSigningKeysAsync();

        Assert.Equal(usable ? 1 : 0, keys.Count);
        if (!usable)
        {
            var ex = await Assert.ThrowsAsync<AgentPassportException>(() => client.GetSigningKeyAsync(server.Tokens.CurrentKeyId, PassportAlgorithms.ES256));
            Assert.Equal(PassportErrorKind.KeyNotFound, ex.Kind);
            await Assert.ThrowsAsync<AgentPassportException>(async () => await Oidc.Validator(client).ValidateAsync(server.Tokens.Mint()));
        }
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
