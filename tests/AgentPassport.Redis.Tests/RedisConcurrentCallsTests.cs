using System.Collections.Concurrent;
using AgentPassport.Redis.Tests.Support;

namespace AgentPassport.Redis.Tests;

/// <summary>10,000 cached calls across 8 agents while revocations arrive from another verifier through Redis.</summary>
public sealed class RedisConcurrentCallsTests : IAsyncLifetime
{
    private RedisServer _redis = null!;

    public async Task InitializeAsync() => _redis = await RedisServer.StartAsync();

    public async Task DisposeAsync() => await _redis.DisposeAsync();

    [Fact]
    public async Task NoCallIsAllowedAfterItsRevocationBecameVisibleToThatVerifier()
    {
        var options = new RedisRevocationStoreOptions { ResyncInterval = TimeSpan.FromMilliseconds(200) };
        await using var writer = await Stores.ConnectSyncedAsync(_redis, options);
        await using var reader = await Stores.ConnectSyncedAsync(_redis, options);
        using var chains = new Chains(TimeProvider.System);
        var verifier = chains.Verifier(reader);
        var agents = new IssuedPassport[8];
        for (int i = 0; i < agents.Length; i++)
        {
            agents[i] = await chains.ChainAsync($"agent-{i}");
            Assert.True((await verifier.ValidateAsync(agents[i].Token, Chains.Policy, agents[i].ChainTokens)).Succeeded); // cached from here on
        }

        var violations = new ConcurrentBag<string>();
        int allowed = 0, denied = 0, calls = 0;
        var revoking = Task.Run(async () =>
        {
            // Revoke agents 0..5 one at a time (alternating the child and its root) while the calls run; 6 and 7 stay valid.
            for (int i = 0; i < 6; i++)
            {
                await Task.Delay(5);
                var link = i % 2 == 0 ? agents[i].Passport : PassportReader.DecodeUnverified(agents[i].ChainTokens[0]);
                await writer.RevokeAsync(RevocationEntry.ForPassport(link));
            }
        });

        await Task.WhenAll(Enumerable.Range(0, 4).Select(worker => Task.Run(async () =>
        {
            for (int n = worker; n < 10_000; n += 4)
            {
                var agent = agents[n % agents.Length];

                // Visible before the call: this verifier's own store already holds a matching entry.
                bool visible = reader.TryGetCurrent(out var set, out _)
                    && (set.Find(agent.Passport) is not null || set.Find(PassportReader.DecodeUnverified(agent.ChainTokens[0])) is not null);
                var result = await verifier.ValidateAsync(agent.Token, Chains.Policy, agent.ChainTokens);
                Interlocked.Increment(ref calls);
                if (result.Succeeded)
                {
                    Interlocked.Increment(ref allowed);
                    if (visible)
                    {
                        violations.Add($"call {n} by agent {n % agents.Length} allowed after its revocation was visible");
                    }
                }
                else
                {
                    Interlocked.Increment(ref denied);
                    Assert.Equal(PassportErrorKind.Revoked, result.Error.Kind);
                }

                if (n % 100 == 0)
                {
                    await Task.Delay(1); // spread the calls over the revocations' arrival
                }
            }
        })));
        await revoking;

        Assert.Empty(violations);
        Assert.Equal(10_000, calls);
        Assert.True(allowed > 0 && denied > 0, $"allowed {allowed}, denied {denied}");

        // Once everything has propagated: the six revoked agents are refused, the other two still allowed.
        await Poll.UntilAsync(() => reader.TryGetCurrent(out var s, out _) && s.Count == 6, TimeSpan.FromSeconds(5), "all six revocations arrived");
        for (int i = 0; i < agents.Length; i++)
        {
            var result = await verifier.ValidateAsync(agents[i].Token, Chains.Policy, agents[i].ChainTokens);
            Assert.Equal(i >= 6, result.Succeeded);
        }
    }
}
