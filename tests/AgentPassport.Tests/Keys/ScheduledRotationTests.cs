using System.Runtime.Versioning;
using Microsoft.Extensions.Time.Testing;

namespace AgentPassport.Tests.Keys;

/// <summary>Rotation publish-then-activate (spec v1.1 §15): the next key is published at once and signs only from its activation time.</summary>
[UnsupportedOSPlatform("windows")]
public sealed class ScheduledRotationTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "ap-sched-" + Guid.NewGuid().ToString("N")[..12]);

    public static TheoryData<string> Stores => ["memory", "file"];

    [Theory]
    [MemberData(nameof(Stores))]
    public void ScheduledKey_IsPublishedAtOnce_SignsOnlyFromItsActivationTime_AndTheOldKeyStaysPublished(string kind)
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var store = Open(kind, time);
        using var owned = (IDisposable)store;
        var first = store.CurrentSigningKey;
        var schedule = new PassportKeyRotationSchedule();

        var next = schedule.Rotate(store);

        Assert.Equal(first.KeyId, store.CurrentSigningKey.KeyId);
        Assert.Contains(store.VerificationKeys, k => k.KeyId == next.KeyId);
        Assert.Equal(time.GetUtcNow() + schedule.ActivationDelay, store.PendingActivation);

        time.Advance(schedule.ActivationDelay - TimeSpan.FromSeconds(1));
        Assert.Equal(first.KeyId, store.CurrentSigningKey.KeyId);

        time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(next.KeyId, store.CurrentSigningKey.KeyId);
        Assert.Null(store.PendingActivation);
        Assert.Equal(next.KeyId, store.VerificationKeys[0].KeyId);
        Assert.Contains(store.VerificationKeys, k => k.KeyId == first.KeyId);
    }

    [Theory]
    [MemberData(nameof(Stores))]
    public void SecondSchedule_WhilePending_IsRefused_AfterActivation_IsAllowed(string kind)
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var store = Open(kind, time);
        using var owned = (IDisposable)store;
        store.ScheduleRotation(TimeSpan.FromMinutes(1));
        Assert.Contains("already pending", Assert.Throws<InvalidOperationException>(() => store.ScheduleRotation(TimeSpan.FromMinutes(1))).Message, StringComparison.Ordinal);

        time.Advance(TimeSpan.FromMinutes(1));
        var third = store.ScheduleRotation(TimeSpan.FromMinutes(1));
        Assert.Equal(3, store.VerificationKeys.Count);
        Assert.NotEqual(third.KeyId, store.CurrentSigningKey.KeyId);
    }

    [Theory]
    [MemberData(nameof(Stores))]
    public void ImmediateRotate_ReplacesAPendingKey_WhichStaysPublished(string kind)
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var store = Open(kind, time);
        using var owned = (IDisposable)store;
        var pending = store.ScheduleRotation(TimeSpan.FromMinutes(1));
        var now = store.Rotate();
        Assert.Equal(now.KeyId, store.CurrentSigningKey.KeyId);
        Assert.Null(store.PendingActivation);
        time.Advance(TimeSpan.FromMinutes(2));
        Assert.Equal(now.KeyId, store.CurrentSigningKey.KeyId);
        Assert.Contains(store.VerificationKeys, k => k.KeyId == pending.KeyId);
    }

    [Fact]
    public void FileStore_APendingKey_IsSeenByAnotherProcess_AndActivatesThereToo()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        using var writer = new FilePassportKeyStore(_dir, timeProvider: time);
        var first = writer.CurrentSigningKey.KeyId;
        var next = writer.ScheduleRotation(TimeSpan.FromMinutes(1));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(_dir, FilePassportKeyStore.NextPrivateKeyFileName)));

        using var other = new FilePassportKeyStore(_dir, timeProvider: time);
        Assert.Equal(first, other.CurrentSigningKey.KeyId);
        Assert.Contains(other.VerificationKeys, k => k.KeyId == next.KeyId);
        time.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(next.KeyId, other.CurrentSigningKey.KeyId);
    }

    [Fact]
    public void InMemoryRemove_RefusesTheCurrentAndThePendingKey_RemovesARetiredOne()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        using var store = new InMemoryPassportKeyStore(timeProvider: time);
        var first = store.CurrentSigningKey.KeyId;
        var next = store.ScheduleRotation(TimeSpan.FromMinutes(1));
        Assert.Throws<InvalidOperationException>(() => store.Remove(first));
        Assert.Throws<InvalidOperationException>(() => store.Remove(next.KeyId));
        time.Advance(TimeSpan.FromMinutes(1));
        Assert.True(store.Remove(first));
        Assert.DoesNotContain(store.VerificationKeys, k => k.KeyId == first);
        Assert.False(store.Remove(first));
    }

    [Fact]
    public void Schedule_ActivationDelay_IsRefreshIntervalPlusMaxAge_AndOutOfRangeValuesAreRefused()
    {
        Assert.Equal(TimeSpan.FromSeconds(90), new PassportKeyRotationSchedule { VerifierRefreshInterval = TimeSpan.FromSeconds(60), JwksMaxAge = TimeSpan.FromSeconds(30) }.ActivationDelay);
        Assert.Throws<ArgumentOutOfRangeException>(() => new PassportKeyRotationSchedule { VerifierRefreshInterval = TimeSpan.Zero });
        Assert.Throws<ArgumentOutOfRangeException>(() => new PassportKeyRotationSchedule { JwksMaxAge = TimeSpan.FromDays(2) });
    }

    public void Dispose()
    {
        if (Directory.Exists(_dir))
        {
            Directory.Delete(_dir, recursive: true);
        }
    }

    private IScheduledPassportKeyStore Open(string kind, TimeProvider time) => kind == "memory"
        ? new InMemoryPassportKeyStore(timeProvider: time)
        : new FilePassportKeyStore(_dir, timeProvider: time);
}
