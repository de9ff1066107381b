using System.Diagnostics;
using AgentPassport.Redis.Tests.Support;

namespace AgentPassport.Redis.Tests;

/// <summary>Two verifiers (two authorizers, each with its own connection) sharing a real Redis replay cache.</summary>
public sealed class RedisReplayAuthorizerTests : IAsyncLifetime
{
    private RedisServer _redis = null!;

    public async Task InitializeAsync() => _redis = await RedisServer.StartAsync();

    public async Task DisposeAsync() => await _redis.DisposeAsync();

    private Task<RedisPassportReplayCache> CacheAsync() =>
        RedisPassportReplayCache.ConnectAsync(_redis.Configuration, new RedisPassportReplayCacheOptions { OperationTimeout = TimeSpan.FromSeconds(2) });

    private static PassportAuthorizer Authorizer(Chains chains, IPassportReplayCache cache) =>
        new(chains.Verifier(new InMemoryRevocationStore()), new PassportAuthorizerOptions { Policy = Chains.Policy, ReplayCache = cache });

    private static IssuedPassport BoundRoot(Chains chains, PassportHolderKey key) => chains.Issuer.Issue(new RootPassportRequest
    {
        Identity = new IdentityAssertion("https://csp.example.com", "user-1", "http://idmanagement.gov/ns/assurance/ial/2", new AssuranceLevels(2, 2, 2)),
        AgentId = "agent:alice",
        AgentModel = "m",
        Audience = Chains.Audience,
        ToolScope = ["flights:*"],
        HolderThumbprint = key.Thumbprint,
    });

    [Fact]
    public async Task AProofAcceptedAtOneVerifier_IsReplayDetectedAtTheOther()
    {
        await using var cacheA = await CacheAsync();
        await using var cacheB = await CacheAsync();
        using var chains = new Chains(TimeProvider.System);
        using var key = PassportHolderKey.Generate();
        var alice = BoundRoot(chains, key);
        var a = Authorizer(chains, cacheA);
        var b = Authorizer(chains, cacheB);
        var args = PassportToolArguments.From([new("route", "SFO-JFK")]);
        var call = PassportContext.From(alice).WithProof(PassportProof.Create(key, Chains.Audience, alice.Token, "flights:search", args));

        var first = await a.AuthorizeAsync(call, "flights.search", "flights:search", args);
        var replayed = await b.AuthorizeAsync(call, "flights.search", "flights:search", args);
        var again = await a.AuthorizeAsync(call, "flights.search", "flights:search", args);

        Assert.True(first.IsAllowed, first.Error?.ToString());
        Assert.Equal(PassportErrorKind.ReplayDetected, replayed.Error!.Kind);
        Assert.Equal(PassportErrorKind.ReplayDetected, again.Error!.Kind);

        // A fresh proof by the same holder is a new call, at either verifier.
        var fresh = PassportContext.From(alice).WithProof(PassportProof.Create(key, Chains.Audience, alice.Token, "flights:search", args));
        Assert.True((await b.AuthorizeAsync(fresh, "flights.search", "flights:search", args)).IsAllowed);
    }

    [Fact]
    public async Task RedisStopped_CallsAreRefusedReplayCacheUnavailable_InABoundedTime_ThenAllowedAfterRestart()
    {
        await using var cache = await CacheAsync();
        using var chains = new Chains(TimeProvider.System);
        using var key = PassportHolderKey.Generate();
        var alice = BoundRoot(chains, key);
        var authorizer = Authorizer(chains, cache);
        PassportContext Call() => PassportContext.From(alice).WithProof(PassportProof.Create(key, Chains.Audience, alice.Token, "flights:search"));
        Assert.True((await authorizer.AuthorizeAsync(Call(), "flights.search", "flights:search")).IsAllowed);

        await _redis.StopAsync();
        var clock = Stopwatch.StartNew();
        var refused = await authorizer.AuthorizeAsync(Call(), "flights.search", "flights:search");
        Assert.Equal(PassportErrorKind.ReplayCacheUnavailable, refused.Error!.Kind);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(3), $"took {clock.Elapsed}");

        await _redis.StartAgainAsync();
        await Poll.UntilAsync(async () => (await authorizer.AuthorizeAsync(Call(), "flights.search", "flights:search")).IsAllowed,
            TimeSpan.FromSeconds(20), "calls are allowed again once Redis is back");
    }
}
