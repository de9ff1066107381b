using System.Net;

namespace AgentPassport.IssuerService.Tests;

public sealed class RevocationEndpointTests
{
    private static DelegationRequest Request(string agent) =>
        new() { AgentId = agent, AgentModel = "m", Audience = IssuerHost.Audience, ToolScope = ["flights:search"] };

    [Fact]
    public async Task Holder_RevokesItsPassport_AndEveryDescendantStops()
    {
        await using var host = await IssuerHost.StartAsync();
        using var client = host.Client();
        var alice = await client.ExchangeIdTokenAsync("id-token:alice", Request("alice-agent"));
        var bob = await client.DelegateAsync(alice, Request("bob"));
        var carol = await client.DelegateAsync(bob, Request("carol"));

        await client.RevokeAsync(bob);

        var verifier = new PassportVerifier(host.Keys, host.Time) { Revocations = host.Revocations };
        var result = await verifier.ValidateAsync(carol.Token, new VerificationPolicy(host.IssuerUrl, IssuerHost.Audience), carol.ChainTokens);
        Assert.Equal(PassportErrorKind.Revoked, result.Error?.Kind);
        Assert.True((await verifier.ValidateAsync(alice.Token, new VerificationPolicy(host.IssuerUrl, IssuerHost.Audience))).Succeeded);

        var refused = await Assert.ThrowsAsync<PassportTokenExchangeException>(() => client.DelegateAsync(carol, Request("dave")));
        Assert.Equal(PassportErrorKind.Revoked, refused.Kind);
        Assert.Contains(host.Audit.Events, e => e.Kind == PassportAuditEventKind.Revoked && e.AgentId == "bob");

        // Idempotent: revoking again is still 200.
        await client.RevokeAsync(bob);
    }

    [Fact]
    public async Task BoundPassport_IsRevokedOnlyWithItsHoldersProof()
    {
        await using var host = await IssuerHost.StartAsync();
        using var client = host.Client();
        using var aliceKey = PassportHolderKey.Generate();
        var alice = await client.ExchangeIdTokenAsync("id-token:alice", Request("alice-agent"), aliceKey);

        var stolen = new PassportContext(alice.Token, alice.ChainTokens, alice.Audience);
        var refused = await Assert.ThrowsAsync<PassportTokenExchangeException>(() => client.RevokeAsync(stolen));
        Assert.Equal("invalid_grant", refused.OAuthError);
        Assert.True(host.Revocations.TryGetCurrent(out var set, out _) && !set.Entries.Any());

        await client.RevokeAsync(alice);
        Assert.True(host.Revocations.TryGetCurrent(out set, out _) && set.Entries.Any());
    }

    [Fact]
    public async Task ForgedToken_IsInvalidGrant_PrincipalRevocation_IsForAdministratorsOnly()
    {
        await using var host = await IssuerHost.StartAsync();
        using var client = host.Client();
        var alice = await client.ExchangeIdTokenAsync("id-token:alice", Request("alice-agent"));

        using var thiefKeys = new InMemoryPassportKeyStore();
        var forged = new PassportIssuer(new PassportIssuerOptions { IssuerUrl = host.IssuerUrl, KeyStore = thiefKeys, TimeProvider = host.Time })
            .Issue(new RootPassportRequest { Identity = new IdentityAssertion("https://idp.example", "victim"), AgentId = "a", AgentModel = "m", Audience = IssuerHost.Audience });
        using var forgedRevoke = await host.Http.PostAsync("/revoke", new FormUrlEncodedContent([new("token", forged.Token)]));
        await OAuthResponse.ErrorAsync(forgedRevoke, "invalid_grant");

        using var notAdmin = await host.Http.PostAsync("/revoke", new FormUrlEncodedContent([new("subject", "alice")]));
        await OAuthResponse.ErrorAsync(notAdmin, "unauthorized_client", 403);
        Assert.True(host.Revocations.TryGetCurrent(out var set, out _) && !set.Entries.Any());

        host.Time.Advance(TimeSpan.FromSeconds(1));
        using var admin = new HttpRequestMessage(HttpMethod.Post, "/revoke") { Content = new FormUrlEncodedContent([new("subject", "alice")]) };
        admin.Headers.Add("X-Test-Admin", "yes");
        using var adminResponse = await host.Http.SendAsync(admin);
        Assert.Equal(HttpStatusCode.OK, adminResponse.StatusCode);

        var verifier = new PassportVerifier(host.Keys, host.Time) { Revocations = host.Revocations };
        Assert.Equal(PassportErrorKind.Revoked, (await verifier.ValidateAsync(alice.Token, new VerificationPolicy(host.IssuerUrl, IssuerHost.Audience))).Error?.Kind);
    }
}
