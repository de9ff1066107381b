using System.Buffers.Text;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Security.Cryptography;
using AgentPassport.Redis.Tests.Support;
using StackExchange.Redis;

namespace AgentPassport.Redis.Tests;

/// <summary>The Redis replay cache against a real redis-server: first use and replay, across verifiers, outage, hang, full Redis, concurrency.</summary>
public sealed class RedisReplayCacheTests : IAsyncLifetime
{
    private static readonly TimeSpan Window = TimeSpan.FromSeconds(90);
    private RedisServer _redis = null!;

    public async Task InitializeAsync() => _redis = await RedisServer.StartAsync();

    public async Task DisposeAsync() => await _redis.DisposeAsync();

    // 2 s per operation: a loaded CI machine reconnecting after a restart can take more than 500 ms.
    private Task<RedisPassportReplayCache> ConnectAsync(int operationTimeoutMs = 2000, string? prefix = null) =>
        RedisPassportReplayCache.ConnectAsync(_redis.Configuration, new RedisPassportReplayCacheOptions
        {
            OperationTimeout = TimeSpan.FromMilliseconds(operationTimeoutMs),
            KeyPrefix = prefix ?? "agent-passport:proofs",
        });

    private static string Thumbprint() => Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));

    private static string Jti() => Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(16));

    [Fact]
    public async Task FirstUse_ThenReplayed_KeyedOnThumbprintAndJti()
    {
        await using var cache = await ConnectAsync();
        string jkt = Thumbprint(), jti = Jti();

        Assert.Equal(PassportReplayCheck.FirstUse, await cache.TryRecordAsync(jkt, jti, Window));
        Assert.Equal(PassportReplayCheck.Replayed, await cache.TryRecordAsync(jkt, jti, Window));

        // The same jti from another holder, or another jti from the same holder, is a different proof.
        Assert.Equal(PassportReplayCheck.FirstUse, await cache.TryRecordAsync(Thumbprint(), jti, Window));
        Assert.Equal(PassportReplayCheck.FirstUse, await cache.TryRecordAsync(jkt, Jti(), Window));
    }

    [Fact]
    public async Task OneSetNxPx_TheEntryExpiresWithTheWindow_UnderTheKeyPrefix()
    {
        await using var cache = await ConnectAsync(prefix: "tenant-a:proofs");
        await using var raw = await ConnectionMultiplexer.ConnectAsync(_redis.Configuration);
        string jkt = Thumbprint(), jti = "jti:with:colons";

        Assert.Equal(PassportReplayCheck.FirstUse, await cache.TryRecordAsync(jkt, jti, TimeSpan.FromMilliseconds(90_000.2)));

        var db = raw.GetDatabase();
        Assert.Equal("1", (string?)await db.StringGetAsync($"tenant-a:proofs:{jkt}:{jti}"));
        var ttl = await db.KeyTimeToLiveAsync($"tenant-a:proofs:{jkt}:{jti}");
        Assert.NotNull(ttl);
        Assert.InRange(ttl.Value, TimeSpan.FromSeconds(80), TimeSpan.FromMilliseconds(90_001)); // rounded up, never down

        // Another deployment (another prefix) on the same Redis keeps its own record.
        await using var other = await ConnectAsync(prefix: "tenant-b:proofs");
        Assert.Equal(PassportReplayCheck.FirstUse, await other.TryRecordAsync(jkt, jti, Window));
        Assert.Equal(PassportReplayCheck.Replayed, await cache.TryRecordAsync(jkt, jti, Window));
    }

    [Fact]
    public async Task TwoVerifiersSharingRedis_AProofUsedAtOneIsReplayedAtTheOther()
    {
        await using var first = await ConnectAsync();
        await using var second = await ConnectAsync();
        string jkt = Thumbprint(), jti = Jti();

        Assert.Equal(PassportReplayCheck.FirstUse, await first.TryRecordAsync(jkt, jti, Window));
        Assert.Equal(PassportReplayCheck.Replayed, await second.TryRecordAsync(jkt, jti, Window));
        Assert.Equal(PassportReplayCheck.Replayed, await first.TryRecordAsync(jkt, jti, Window));
    }

    [Fact]
    public async Task RedisStoppedMidRun_UnavailableWithinABoundedTime_RecoversAfterRestart()
    {
        await using var cache = await ConnectAsync();
        Assert.Equal(PassportReplayCheck.FirstUse, await cache.TryRecordAsync(Thumbprint(), Jti(), Window));

        await _redis.StopAsync();
        for (int i = 0; i < 3; i++)
        {
            var clock = Stopwatch.StartNew();
            Assert.Equal(PassportReplayCheck.Unavailable, await cache.TryRecordAsync(Thumbprint(), Jti(), Window));
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(3), $"check {i} took {clock.Elapsed}");
        }

        await _redis.StartAgainAsync();
        string jkt = Thumbprint(), jti = Jti();
        PassportReplayCheck last = default;
        await Poll.UntilAsync(async () => (last = await cache.TryRecordAsync(jkt, Jti(), Window)) != PassportReplayCheck.Unavailable,
            TimeSpan.FromSeconds(20), "the cache reached Redis again");
        Assert.Equal(PassportReplayCheck.FirstUse, last);
        Assert.Equal(PassportReplayCheck.FirstUse, await cache.TryRecordAsync(jkt, jti, Window));
        Assert.Equal(PassportReplayCheck.Replayed, await cache.TryRecordAsync(jkt, jti, Window));
    }

    [Fact]
    public async Task RedisDownAtStart_UnavailableUntilItComes()
    {
        await _redis.StopAsync();
        await using var cache = await ConnectAsync();
        Assert.Equal(PassportReplayCheck.Unavailable, await cache.TryRecordAsync(Thumbprint(), Jti(), Window));

        await _redis.StartAgainAsync();
        await Poll.UntilAsync(async () => await cache.TryRecordAsync(Thumbprint(), Jti(), Window) == PassportReplayCheck.FirstUse,
            TimeSpan.FromSeconds(20), "the cache connected after Redis started");
    }

    [Fact]
    public async Task HungRedis_CostsTheOperationTimeout_ThenUnavailable()
    {
        await using var cache = await ConnectAsync(operationTimeoutMs: 500);
        Assert.Equal(PassportReplayCheck.FirstUse, await cache.TryRecordAsync(Thumbprint(), Jti(), Window));
        _redis.Freeze();
        try
        {
            var clock = Stopwatch.StartNew();
            Assert.Equal(PassportReplayCheck.Unavailable, await cache.TryRecordAsync(Thumbprint(), Jti(), Window));
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(3), $"took {clock.Elapsed}");
        }
        finally
        {
            _redis.Thaw();
        }
    }

    [Fact]
    public async Task FullRedis_RefusesTheWrite_SoTheCheckIsUnavailableNotAnAllow()
    {
        await using var cache = await ConnectAsync();
        await using var admin = await ConnectionMultiplexer.ConnectAsync(_redis.Configuration + ",allowAdmin=true");
        var server = admin.GetServer(_redis.Configuration);
        await server.ConfigSetAsync("maxmemory-policy", "noeviction");
        await server.ConfigSetAsync("maxmemory", "1"); // every write is now over the limit: Redis answers OOM

        Assert.Equal(PassportReplayCheck.Unavailable, await cache.TryRecordAsync(Thumbprint(), Jti(), Window));

        await server.ConfigSetAsync("maxmemory", "0");
        Assert.Equal(PassportReplayCheck.FirstUse, await cache.TryRecordAsync(Thumbprint(), Jti(), Window));
    }

    [Fact]
    public async Task EightConcurrentClients_ThousandProofs_EachAcceptedExactlyOnce()
    {
        var clients = new RedisPassportReplayCache[8];
        for (int i = 0; i < clients.Length; i++)
        {
            clients[i] = await ConnectAsync();
        }

        try
        {
            var proofs = Enumerable.Range(0, 1_000).Select(_ => (Jkt: Thumbprint(), Jti: Jti())).ToArray();
            var accepted = new ConcurrentDictionary<int, int>();
            int replayed = 0, unavailable = 0;

            // Every client presents every proof, each in its own order: 8,000 checks racing on 1,000 proofs.
            await Task.WhenAll(clients.Select((client, c) => Task.Run(async () =>
            {
                foreach (int p in Enumerable.Range(0, proofs.Length).OrderBy(_ => Random.Shared.Next()))
                {
                    switch (await client.TryRecordAsync(proofs[p].Jkt, proofs[p].Jti, Window))
                    {
                        case PassportReplayCheck.FirstUse: accepted.AddOrUpdate(p, 1, (_, n) => n + 1); break;
                        case PassportReplayCheck.Replayed: Interlocked.Increment(ref replayed); break;
                        default: Interlocked.Increment(ref unavailable); break;
                    }
                }
            })));

            Assert.Equal(0, unavailable);
            Assert.Equal(proofs.Length, accepted.Count);
            Assert.All(accepted, pair => Assert.Equal(1, pair.Value)); // zero accepted replays
            Assert.Equal(7 * proofs.Length, replayed);
        }
        finally
        {
            foreach (var client in clients)
            {
                await client.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task BadArguments_AreTypedErrors_AndBadOptionsAreRefusedAtSetup()
    {
        await using var cache = await ConnectAsync();
        await Assert.ThrowsAsync<ArgumentException>(async () => await cache.TryRecordAsync("not:base64url", Jti(), Window));
        await Assert.ThrowsAsync<ArgumentException>(async () => await cache.TryRecordAsync(Thumbprint(), "", Window));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(async () => await cache.TryRecordAsync(Thumbprint(), Jti(), TimeSpan.Zero));

        var noPrefix = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            RedisPassportReplayCache.ConnectAsync(_redis.Configuration, new RedisPassportReplayCacheOptions { KeyPrefix = " " }));
        Assert.Contains("KeyPrefix", noPrefix.Message);
        var noTimeout = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            RedisPassportReplayCache.ConnectAsync(_redis.Configuration, new RedisPassportReplayCacheOptions { OperationTimeout = TimeSpan.Zero }));
        Assert.Contains("OperationTimeout", noTimeout.Message);
    }
}
