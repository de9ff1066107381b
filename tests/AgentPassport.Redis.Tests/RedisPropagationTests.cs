using AgentPassport.Redis.Tests.Support;
using Xunit.Abstractions;

namespace AgentPassport.Redis.Tests;

/// <summary>Three verifiers sharing one real Redis: a revocation written through one is seen by all within the bound.</summary>
public sealed class RedisPropagationTests(ITestOutputHelper output) : IAsyncLifetime
{
    private RedisServer _redis = null!;

    public async Task InitializeAsync() => _redis = await RedisServer.StartAsync();

    public async Task DisposeAsync() => await _redis.DisposeAsync();

    [Theory]
    [InlineData(true, 40)]
    [InlineData(false, 12)]
    public async Task ThreeVerifiers_SeeARevocationWithinMaxStaleness_MeasuredPropagation(bool push, int samples)
    {
        var options = new RedisRevocationStoreOptions { UsePubSub = push, ResyncInterval = TimeSpan.FromMilliseconds(250), MaxStaleness = TimeSpan.FromSeconds(5) };
        await using var a = await Stores.ConnectSyncedAsync(_redis, options);
        await using var b = await Stores.ConnectSyncedAsync(_redis, options);
        await using var c = await Stores.ConnectSyncedAsync(_redis, options);
        using var chains = new Chains(TimeProvider.System);
        var verifiers = new[] { chains.Verifier(a), chains.Verifier(b), chains.Verifier(c) };
        var delays = new List<double>();

        for (int i = 0; i < samples; i++)
        {
            var carol = await chains.ChainAsync($"agent-{i}");
            foreach (var v in verifiers)
            {
                Assert.True((await v.ValidateAsync(carol.Token, Chains.Policy, carol.ChainTokens)).Succeeded);
            }

            var written = System.Diagnostics.Stopwatch.StartNew();
            await a.RevokeAsync(RevocationEntry.ForPassport(PassportReader.DecodeUnverified(carol.ChainTokens[0]))); // the root: a cascade
            foreach (var v in verifiers[1..])
            {
                await Poll.UntilAsync(async () => !(await v.ValidateAsync(carol.Token, Chains.Policy, carol.ChainTokens)).Succeeded, options.MaxStaleness, "the revocation reached every verifier");
                Assert.Equal(PassportErrorKind.Revoked, (await v.ValidateAsync(carol.Token, Chains.Policy, carol.ChainTokens)).Error!.Kind);
            }

            delays.Add(written.Elapsed.TotalMilliseconds);
        }

        double p50 = Poll.Percentile(delays, 50), p99 = Poll.Percentile(delays, 99);
        output.WriteLine($"push={push} resync=250ms samples={samples}: propagation to both other verifiers p50={p50:0.0} ms p99={p99:0.0} ms");
        Assert.True(p99 < options.MaxStaleness.TotalMilliseconds, $"p99 {p99} ms");
        if (push)
        {
            // Push does not wait for the resync: most revocations arrive well inside one resync interval.
            Assert.True(p50 < options.ResyncInterval.TotalMilliseconds, $"p50 with push {p50} ms");
        }
    }
}
