namespace AgentPassport.IssuerService.Tests;

/// <summary>The issuer service goes down and comes back: verifiers, the typed client, recovery.</summary>
public sealed class IssuerOutageTests
{
    private static RootPassportRequest Root() => new()
    {
        Identity = new IdentityAssertion("https://idp.example", "alice"),
        AgentId = "alice-agent",
        AgentModel = "m",
        Audience = IssuerHost.Audience,
        ToolScope = ["flights:search"],
        Ttl = TimeSpan.FromHours(2),
    };

    [Fact]
    public async Task Verifiers_KeepTheirCachedJwksWithinTheStaleWindow_ThenRefuseTyped_AndRecover()
    {
        await using var host = await IssuerHost.StartAsync();
        using var verifier = new RemoteVerifier(host, cacheDuration: TimeSpan.FromMinutes(1), maxStaleAge: TimeSpan.FromMinutes(10));
        string token = host.Issuer.Issue(Root()).Token;
        Assert.True((await verifier.ValidateAsync(token)).Succeeded);

        await host.StopAppAsync();

        // Past the cache duration, within the stale window: the cached keys still serve.
        host.Time.Advance(TimeSpan.FromMinutes(5));
        Assert.True((await verifier.ValidateAsync(token)).Succeeded);

        // Past the stale window: refused with a typed error, never accepted unchecked.
        host.Time.Advance(TimeSpan.FromMinutes(6));
        Assert.Equal(PassportErrorKind.JwksError, (await verifier.ValidateAsync(token)).Error?.Kind);

        await host.StartAppAsync();
        host.Time.Advance(TimeSpan.FromMinutes(1)); // past the retry interval and the breaker's break
        Assert.True((await verifier.ValidateAsync(token)).Succeeded);
    }

    [Fact]
    public async Task TypedClient_ServiceDown_FailsTypedAfterItsRetries_ThenRecovers()
    {
        await using var host = await IssuerHost.StartAsync();
        using var client = host.Client(maxRetries: 2);
        var request = new DelegationRequest { AgentId = "alice-agent", AgentModel = "m", Audience = IssuerHost.Audience, ToolScope = ["flights:search"] };
        await client.ExchangeIdTokenAsync("id-token:alice", request);

        await host.StopAppAsync();
        var down = await Assert.ThrowsAsync<PassportTokenExchangeException>(() => client.ExchangeIdTokenAsync("id-token:alice", request));
        Assert.Equal("temporarily_unavailable", down.OAuthError);
        Assert.Null(down.StatusCode);
        Assert.IsType<HttpRequestException>(down.InnerException);

        await host.StartAppAsync();
        var alice = await client.ExchangeIdTokenAsync("id-token:alice", request);
        Assert.Equal("alice", PassportReader.DecodeUnverified(alice.Token).Subject);
    }

    [Fact]
    public async Task TypedClient_RetriesA503_AndReportsItTyped()
    {
        await using var host = await IssuerHost.StartAsync(o => o.IdentityValidator = new UnavailableIdentityValidator());
        using var client = host.Client(maxRetries: 2);
        var request = new DelegationRequest { AgentId = "alice-agent", AgentModel = "m", Audience = IssuerHost.Audience, ToolScope = ["flights:search"] };
        var refused = await Assert.ThrowsAsync<PassportTokenExchangeException>(() => client.ExchangeIdTokenAsync("id-token:alice", request));
        Assert.Equal("temporarily_unavailable", refused.OAuthError);
        Assert.Equal(503, refused.StatusCode);
        Assert.Equal(3, UnavailableIdentityValidator.Calls);
        Assert.Equal(0, host.Minted);
    }

    private sealed class UnavailableIdentityValidator : IIdentityValidator
    {
        public static int Calls;

        public ValueTask<IdentityAssertion> ValidateAsync(string idToken, CancellationToken cancellationToken = default)
        {
            Interlocked.Increment(ref Calls);
            throw AgentPassportException.Create(PassportErrorKind.JwksError, "the identity provider's JWKS could not be fetched");
        }
    }
}
