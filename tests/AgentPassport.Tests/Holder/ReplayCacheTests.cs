using Microsoft.Extensions.Time.Testing;

namespace AgentPassport.Tests.Holder;

/// <summary>The in-memory replay cache: atomic insert-if-absent, expiry on the injected clock, bounded and fail-closed when full.</summary>
public sealed class ReplayCacheTests
{
    private static readonly TimeSpan Ttl = TimeSpan.FromSeconds(150);

    [Fact]
    public async Task SecondUse_IsReplayed_UntilItsExpiry_ThenFirstUseAgain()
    {
        var time = new FakeTimeProvider();
        var cache = new InMemoryPassportReplayCache(timeProvider: time);
        Assert.Equal(PassportReplayCheck.FirstUse, await cache.TryRecordAsync("jkt", "jti-1", Ttl));
        Assert.Equal(PassportReplayCheck.Replayed, await cache.TryRecordAsync("jkt", "jti-1", Ttl));
        Assert.Equal(PassportReplayCheck.FirstUse, await cache.TryRecordAsync("other-jkt", "jti-1", Ttl));
        time.Advance(Ttl - TimeSpan.FromTicks(1));
        Assert.Equal(PassportReplayCheck.Replayed, await cache.TryRecordAsync("jkt", "jti-1", Ttl));
        time.Advance(TimeSpan.FromTicks(1));
        Assert.Equal(PassportReplayCheck.FirstUse, await cache.TryRecordAsync("jkt", "jti-1", Ttl));
    }

    [Fact]
    public async Task Full_RefusesNewEntries_NeverEvictsALiveOne()
    {
        var time = new FakeTimeProvider();
        var cache = new InMemoryPassportReplayCache(capacity: 3, timeProvider: time);
        for (int i = 0; i < 3; i++)
        {
            Assert.Equal(PassportReplayCheck.FirstUse, await cache.TryRecordAsync("jkt", $"jti-{i}", Ttl));
        }

        Assert.Equal(PassportReplayCheck.Unavailable, await cache.TryRecordAsync("jkt", "jti-new", Ttl));
        for (int i = 0; i < 3; i++)
        {
            Assert.Equal(PassportReplayCheck.Replayed, await cache.TryRecordAsync("jkt", $"jti-{i}", Ttl));
        }

        time.Advance(Ttl);
        Assert.Equal(PassportReplayCheck.FirstUse, await cache.TryRecordAsync("jkt", "jti-new", Ttl));
        Assert.Equal(1, cache.Count);
    }

    [Fact]
    public async Task ConcurrentUsesOfOneProof_ExactlyOneIsFirstUse()
    {
        var cache = new InMemoryPassportReplayCache();
        var results = await Task.WhenAll(Enumerable.Range(0, 64).Select(_ => Task.Run(async () => await cache.TryRecordAsync("jkt", "same", Ttl))));
        Assert.Single(results, r => r == PassportReplayCheck.FirstUse);
        Assert.Equal(63, results.Count(r => r == PassportReplayCheck.Replayed));
    }

    [Fact]
    public void BadSettings_AreRefused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new InMemoryPassportReplayCache(0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new InMemoryPassportReplayCache(10_000_001));
        var cache = new InMemoryPassportReplayCache();
        Assert.Throws<ArgumentOutOfRangeException>(() => cache.TryRecordAsync("jkt", "jti", TimeSpan.Zero).AsTask().GetAwaiter().GetResult());
    }
}
