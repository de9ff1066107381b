using AgentPassport.TestSupport.Faults;
using AgentPassport.TestSupport.Keys;
using Xunit.Abstractions;

namespace AgentPassport.Tests.Keys.Remote;

/// <summary>
/// Issue 9 item 5, verification: a remote verifier trusts the Passport issuer by its JWKS URL
/// (<see cref="RemoteJwksPassportKeyResolver"/>) and the endpoint is down, slow, failing or returns garbage. Each failing
/// verification ends within <see cref="Latency.Bound"/> with a typed error; a token signed by a key the issuer never
/// published is never accepted, whatever the endpoint returns; cached keys serve for a bounded time; verification recovers.
/// </summary>
public sealed class RemoteJwksVerificationFaultTests(ITestOutputHelper output) : IAsyncLifetime
{
    private RemoteIssuer _issuer = null!;

    public async Task InitializeAsync() => _issuer = await RemoteIssuer.StartAsync();

    public async Task DisposeAsync() => await _issuer.DisposeAsync();

    [Theory]
    [InlineData(Fault.Down)]
    [InlineData(Fault.Slow)]
    [InlineData(Fault.ServerError)]
    [InlineData(Fault.Garbage)]
    [InlineData(Fault.NonObjectJson)]
    [InlineData(Fault.NotAJwks)]
    public async Task ColdCache_Fault_JwksErrorWithinBound_NothingAccepted_ThenRecovers(Fault fault)
    {
        // A fake clock for the breaker and caches; the HTTP client's own timeout (250 ms real time, 2 attempts) bounds a slow endpoint.
        using var http = new HttpClient { Timeout = TimeSpan.FromMilliseconds(250) };
        using var resolver = _issuer.Resolver(configure: o => o.HttpClient = http);
        var verifier = _issuer.Verifier(resolver);
        await FaultInjection.ApplyAsync(_issuer.Server, fault, discovery: false);

        var legit = await Latency.WithinAsync(output, $"verification, cold, JWKS {fault}", async () => await verifier.ValidateAsync(_issuer.Mint(), RemoteIssuer.Policy));
        Assert.Equal(PassportErrorKind.JwksError, legit.Error?.Kind);
        Assert.Contains(FaultInjection.Cause(fault), legit.Error!.Message, StringComparison.Ordinal);
        Assert.Contains(_issuer.JwksUrl.ToString(), legit.Error.Message, StringComparison.Ordinal);
        await NeverAcceptedAsync(verifier, $"cold, JWKS {fault}");

        // The repeated failures opened the circuit breaker: recovery comes once its break (15 s) has passed.
        await FaultInjection.HealAsync(_issuer.Server);
        _issuer.Time.Advance(TimeSpan.FromSeconds(16));
        var healed = await verifier.ValidateAsync(_issuer.Mint(), RemoteIssuer.Policy);
        Assert.True(healed.Succeeded, healed.Error?.ToString());
        await NeverAcceptedAsync(verifier, "healed");
    }

    [Theory]
    [InlineData(Fault.Down)]
    [InlineData(Fault.Slow)]
    [InlineData(Fault.ServerError)]
    [InlineData(Fault.Garbage)]
    [InlineData(Fault.NonObjectJson)]
    [InlineData(Fault.NotAJwks)]
    public async Task WarmCache_Fault_StaleKeysServeUpToMaxStaleAge_NothingForeignAccepted_ThenRecovers(Fault fault)
    {
        // A fake clock to age the cache, and the HTTP client's own timeout (real time) to bound a slow endpoint.
        using var http = new HttpClient { Timeout = TimeSpan.FromMilliseconds(250) };
        using var resolver = _issuer.Resolver(configure: o =>
        {
            o.HttpClient = http;
            o.CacheDuration = TimeSpan.FromMinutes(5);
            o.MaxStaleAge = TimeSpan.FromMinutes(30);
        });
        var verifier = _issuer.Verifier(resolver);
        Assert.True((await verifier.ValidateAsync(_issuer.Mint(), RemoteIssuer.Policy)).Succeeded);
        await FaultInjection.ApplyAsync(_issuer.Server, fault, discovery: false);

        // Fresh cache: a foreign kid asks for one refresh, which fails; the token is refused, never accepted.
        await NeverAcceptedAsync(verifier, $"warm, JWKS {fault}");

        // Cache expired, within the stale bound: the first call tries the endpoint once, then the last good keys serve.
        _issuer.Time.Advance(TimeSpan.FromMinutes(10));
        var stale = await Latency.WithinAsync(output, $"verification, stale keys, JWKS {fault}", async () => await verifier.ValidateAsync(_issuer.Mint(), RemoteIssuer.Policy));
        Assert.True(stale.Succeeded, stale.Error?.ToString());
        var again = await Latency.WithinAsync(output, $"verification, stale keys, JWKS {fault}, next call", async () => await verifier.ValidateAsync(_issuer.Mint(), RemoteIssuer.Policy));
        Assert.True(again.Succeeded, again.Error?.ToString());
        await NeverAcceptedAsync(verifier, $"stale, JWKS {fault}");

        // Past the stale bound: refused with a typed error.
        _issuer.Time.Advance(TimeSpan.FromMinutes(25));
        var expired = await Latency.WithinAsync(output, $"verification, past the stale bound, JWKS {fault}", async () => await verifier.ValidateAsync(_issuer.Mint(), RemoteIssuer.Policy));
        Assert.Equal(PassportErrorKind.JwksError, expired.Error?.Kind);
        await NeverAcceptedAsync(verifier, $"past the stale bound, JWKS {fault}");

        // Recovery, with a rotation published during the outage.
        _issuer.Keys.Rotate();
        _issuer.Publish();
        await FaultInjection.HealAsync(_issuer.Server);
        _issuer.Time.Advance(TimeSpan.FromSeconds(16));
        var healed = await verifier.ValidateAsync(_issuer.Mint(), RemoteIssuer.Policy);
        Assert.True(healed.Succeeded, healed.Error?.ToString());
    }

    [Fact]
    public async Task ColdCache_200ConcurrentVerifications_WhileJwksHangs_AllTypedAndFast()
    {
        using var resolver = _issuer.Resolver(TimeProvider.System, o =>
        {
            o.RequestTimeout = TimeSpan.FromMilliseconds(250);
            o.MaxRetries = 0;
        });
        var verifier = _issuer.Verifier(resolver);
        await FaultInjection.ApplyAsync(_issuer.Server, Fault.Slow, discovery: false);
        string token = _issuer.Mint();
        string foreign = _issuer.MintByAttacker();

        // Without sharing the failed fetch, 200 queued callers would take 200 x 250 ms.
        var results = await Latency.WithinAsync(output, "200 concurrent verifications, cold, JWKS slow", () => Task.WhenAll(
            Enumerable.Range(0, 200).Select(i => Task.Run(async () => await verifier.ValidateAsync(i % 2 == 0 ? token : foreign, RemoteIssuer.Policy)))));

        Assert.All(results, r => Assert.Equal(PassportErrorKind.JwksError, r.Error?.Kind));
        Assert.True(_issuer.Server.JwksRequests <= 2, $"{_issuer.Server.JwksRequests} JWKS requests");
    }

    [Fact]
    public async Task CircuitBreaker_OpensOnRepeated500s_FailsFastWithoutContactingTheEndpoint_ThenCloses()
    {
        var clock = _issuer.Time;
        using var resolver = _issuer.Resolver(configure: o =>
        {
            o.MaxRetries = 0;
            o.CircuitBreakerMinimumThroughput = 2;
            o.CircuitBreakerBreakDuration = TimeSpan.FromSeconds(5);
        });
        var verifier = _issuer.Verifier(resolver);
        await FaultInjection.ApplyAsync(_issuer.Server, Fault.ServerError, discovery: false);
        await verifier.ValidateAsync(_issuer.Mint(), RemoteIssuer.Policy);
        await verifier.ValidateAsync(_issuer.Mint(), RemoteIssuer.Policy);
        int requests = _issuer.Server.JwksRequests;

        var open = await Latency.WithinAsync(output, "verification, circuit open", async () => await verifier.ValidateAsync(_issuer.Mint(), RemoteIssuer.Policy));
        Assert.Equal(PassportErrorKind.JwksError, open.Error?.Kind);
        Assert.Contains("circuit breaker is open", open.Error!.Message, StringComparison.Ordinal);
        Assert.Equal(requests, _issuer.Server.JwksRequests);

        await FaultInjection.HealAsync(_issuer.Server);
        clock.Advance(TimeSpan.FromSeconds(6));
        Assert.True((await verifier.ValidateAsync(_issuer.Mint(), RemoteIssuer.Policy)).Succeeded);
    }

    [Fact]
    public async Task Transient500s_RetriedWithinOneVerification()
    {
        using var resolver = _issuer.Resolver(configure: o => o.MaxRetries = 2);
        _issuer.Server.FailNext(2);

        var result = await Latency.WithinAsync(output, "verification, two transient 500s", async () => await _issuer.Verifier(resolver).ValidateAsync(_issuer.Mint(), RemoteIssuer.Policy));

        Assert.True(result.Succeeded, result.Error?.ToString());
        Assert.Equal(3, _issuer.Server.JwksRequests);
    }

    /// <summary>A token from the attacker's key, and one that names the issuer's kid but carries the attacker's signature: both refused.</summary>
    private async Task NeverAcceptedAsync(PassportVerifier verifier, string phase)
    {
        var foreign = await Latency.WithinAsync(output, $"verification, {phase}, foreign key", async () => await verifier.ValidateAsync(_issuer.MintByAttacker(), RemoteIssuer.Policy));
        Assert.False(foreign.Succeeded);
        Assert.Contains(foreign.Error!.Kind, new[] { PassportErrorKind.KeyNotFound, PassportErrorKind.JwksError });

        var forged = await verifier.ValidateAsync(_issuer.ForgeWithIssuerKid(), RemoteIssuer.Policy);
        Assert.False(forged.Succeeded);
        Assert.Contains(forged.Error!.Kind, new[] { PassportErrorKind.InvalidSignature, PassportErrorKind.KeyNotFound, PassportErrorKind.JwksError });
    }
}
