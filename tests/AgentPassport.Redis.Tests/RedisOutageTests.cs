using System.Diagnostics;
using AgentPassport.Redis.Tests.Support;
using Microsoft.Extensions.Time.Testing;
using StackExchange.Redis;

namespace AgentPassport.Redis.Tests;

/// <summary>Faults against a real redis-server: outage, hang, lost push, restart without data, and bounded keys.</summary>
public sealed class RedisOutageTests : IAsyncLifetime
{
    private readonly FakeTimeProvider _time = new(DateTimeOffset.UtcNow);
    private RedisServer _redis = null!;

    public async Task InitializeAsync() => _redis = await RedisServer.StartAsync();

    public async Task DisposeAsync() => await _redis.DisposeAsync();

    // 2 s per operation: a loaded CI machine reconnecting after a restart can take more than 500 ms. The hung-Redis test
    // asks for 500 ms, since its bound is what it checks.
    private RedisRevocationStoreOptions Options(bool push = true, int operationTimeoutMs = 2000) => new()
    {
        TimeProvider = _time,
        UsePubSub = push,
        ResyncInterval = TimeSpan.FromSeconds(1),
        MaxStaleness = TimeSpan.FromSeconds(5),
        OperationTimeout = TimeSpan.FromMilliseconds(operationTimeoutMs),
    };

    private RevocationEntry Entry(string jti) => RevocationEntry.ForToken(jti, _time.GetUtcNow().AddMinutes(5));

    [Fact]
    public async Task RedisStopped_LastSnapshotUntilMaxStaleness_ThenUnavailable_RecoversAfterRestart()
    {
        await using var store = await Stores.ConnectSyncedAsync(_redis, Options());
        using var chains = new Chains(_time);
        var verifier = chains.Verifier(store);
        var revoked = await chains.ChainAsync("agent-revoked");
        var fine = await chains.ChainAsync("agent-fine");
        await store.RevokeAsync(RevocationEntry.ForPassport(revoked.Passport));

        await _redis.StopAsync();
        _time.Advance(TimeSpan.FromSeconds(4)); // resyncs now fail; the snapshot is 4 s old
        Assert.Equal(PassportErrorKind.Revoked, (await verifier.ValidateAsync(revoked.Token, Chains.Policy, revoked.ChainTokens)).Error!.Kind);
        Assert.True((await verifier.ValidateAsync(fine.Token, Chains.Policy, fine.ChainTokens)).Succeeded);

        _time.Advance(TimeSpan.FromSeconds(1.5));
        var refused = await verifier.ValidateAsync(fine.Token, Chains.Policy, fine.ChainTokens);
        Assert.Equal(PassportErrorKind.RevocationUnavailable, refused.Error!.Kind);
        Assert.Contains("beyond the 5 s bound", refused.Error.Message);

        await _redis.StartAgainAsync();
        await Poll.UntilAsync(async () => (await verifier.ValidateAsync(fine.Token, Chains.Policy, fine.ChainTokens)).Succeeded,
            TimeSpan.FromSeconds(20), "the store caught up after Redis came back", () => _time.Advance(TimeSpan.FromMilliseconds(200)));
        Assert.Equal(PassportErrorKind.Revoked, (await verifier.ValidateAsync(revoked.Token, Chains.Policy, revoked.ChainTokens)).Error!.Kind);
    }

    [Fact]
    public async Task RestartedEmpty_IsDetected_AndTheListIsRepublishedNotUnrevoked()
    {
        await using var survivor = await Stores.ConnectSyncedAsync(_redis, Options());
        await survivor.RevokeAsync(Entry("jti-before-the-crash"));
        string epochBefore = survivor.Epoch!;

        await _redis.StopAsync();
        await _redis.StartAgainAsync(); // no persistence: the list and the epoch are gone
        await Poll.UntilAsync(() => survivor.DataLossRecoveries == 1, TimeSpan.FromSeconds(20), "the survivor noticed the loss",
            () => _time.Advance(TimeSpan.FromMilliseconds(200)));

        Assert.NotEqual(epochBefore, survivor.Epoch);
        Assert.True(survivor.TryGetCurrent(out var local, out _));
        Assert.Contains(local.Entries, e => e.Value == "jti-before-the-crash");

        // A verifier that starts only now (it never saw the old epoch) gets the healed list from Redis.
        await using var newcomer = await Stores.ConnectSyncedAsync(_redis, Options());
        Assert.True(newcomer.TryGetCurrent(out var healed, out _));
        Assert.Contains(healed.Entries, e => e.Value == "jti-before-the-crash");
    }

    [Fact]
    public async Task AnEntryWhosePushNeverArrives_IsRecoveredByTheResync()
    {
        await using var store = await Stores.ConnectSyncedAsync(_redis, Options());
        await using var raw = await ConnectionMultiplexer.ConnectAsync(_redis.Configuration);

        // Written behind the store's back with no PUBLISH: exactly what a message lost during a disconnect looks like.
        var entry = Entry("jti-without-push");
        await raw.GetDatabase().SortedSetAddAsync("agent-passport:revocations:index", entry.ToJson(), entry.ExpiresAt.ToUnixTimeMilliseconds());
        Assert.True(store.TryGetCurrent(out var before, out _));
        Assert.DoesNotContain(before.Entries, e => e.Value == "jti-without-push");

        await Poll.UntilAsync(() => store.TryGetCurrent(out var set, out _) && set.Entries.Any(e => e.Value == "jti-without-push"),
            TimeSpan.FromSeconds(20), "the resync brought the entry", () => _time.Advance(TimeSpan.FromMilliseconds(250)));
    }

    [Fact]
    public async Task HungRedis_CostsABoundedTime_AndFailsClosedPastTheBound()
    {
        await using var store = await Stores.ConnectSyncedAsync(_redis, Options(operationTimeoutMs: 500));
        _redis.Freeze();
        try
        {
            var clock = Stopwatch.StartNew();
            var ex = await Assert.ThrowsAsync<AgentPassportException>(async () => await store.RevokeAsync(Entry("jti-during-hang")));
            Assert.Equal(PassportErrorKind.RevocationUnavailable, ex.Kind);
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(3), $"took {clock.Elapsed}");

            // The local snapshot has it regardless: this process already refuses the Passport.
            Assert.True(store.TryGetCurrent(out var set, out _));
            Assert.Contains(set.Entries, e => e.Value == "jti-during-hang");

            _time.Advance(TimeSpan.FromSeconds(6));
            Assert.False(store.TryGetCurrent(out _, out _));
        }
        finally
        {
            _redis.Thaw();
        }
    }

    [Fact]
    public async Task RedisDownAtStart_RefusesUntilFirstSync()
    {
        await _redis.StopAsync();
        await using var store = await RedisRevocationStore.ConnectAsync(_redis.Configuration, Options());
        Assert.False(store.TryGetCurrent(out _, out var reason));
        Assert.Contains("not been read yet", reason);

        await _redis.StartAgainAsync();
        await Poll.UntilAsync(() => store.TryGetCurrent(out _, out _), TimeSpan.FromSeconds(20), "first sync after Redis started",
            () => _time.Advance(TimeSpan.FromMilliseconds(200)));
    }

    [Fact]
    public async Task StreamOfRevocations_RedisKeysAndSnapshotStayBounded()
    {
        await using var store = await Stores.ConnectSyncedAsync(_redis, Options(push: false));
        await using var raw = await ConnectionMultiplexer.ConnectAsync(_redis.Configuration + ",allowAdmin=true");
        var db = raw.GetDatabase();
        long peak = 0;
        for (int i = 0; i < 1_500; i++)
        {
            // One revocation a second of a 1-minute Passport: at most ~1 min + skew of them can be live.
            await store.RevokeAsync(RevocationEntry.ForToken($"jti-{i}", _time.GetUtcNow().AddMinutes(1)));
            peak = Math.Max(peak, await db.SortedSetLengthAsync("agent-passport:revocations:index"));
            _time.Advance(TimeSpan.FromSeconds(1));
        }

        long bound = (long)(TimeSpan.FromMinutes(1) + VerificationPolicy.MaxClockSkew).TotalSeconds + 1;
        Assert.InRange(peak, bound - 1, bound);
        Assert.Equal(2, await raw.GetServer(_redis.Configuration).DatabaseSizeAsync()); // the index and the epoch
        var ttl = await db.KeyTimeToLiveAsync("agent-passport:revocations:index");
        Assert.NotNull(ttl); // the index expires with its latest entry
        Assert.True(ttl <= TimeSpan.FromMinutes(1) + VerificationPolicy.MaxClockSkew);
        Assert.True(store.TryGetCurrent(out var set, out _));
        Assert.InRange(set.Count, 1, (int)bound);
    }

    [Fact]
    public void ResyncSlowerThanTheBound_IsRefusedAtSetup()
    {
        var ex = Assert.Throws<InvalidOperationException>(() =>
            RedisRevocationStore.ConnectAsync("127.0.0.1:1", new RedisRevocationStoreOptions { ResyncInterval = TimeSpan.FromSeconds(5) }).GetAwaiter().GetResult());
        Assert.Contains("must be below MaxStaleness", ex.Message);
    }
}
