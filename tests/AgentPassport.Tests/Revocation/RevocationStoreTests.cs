using Microsoft.Extensions.Time.Testing;

namespace AgentPassport.Tests.Revocation;

[System.Runtime.Versioning.UnsupportedOSPlatform("windows")] // owner-only file modes are POSIX
public sealed class RevocationStoreTests : IDisposable
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 6, 1, 12, 0, 0, TimeSpan.Zero));
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "ap-revoke-" + Guid.NewGuid().ToString("N"));

    private string FilePath => Path.Combine(_dir, "revocations.json");

    [Fact]
    public void Entries_ExpireWhenNothingTheyMatchCanBeValid()
    {
        var now = _time.GetUtcNow();
        var token = RevocationEntry.ForToken("jti-1", now.AddMinutes(5));
        var subject = RevocationEntry.ForSubject("alice", now);

        Assert.Equal(now.AddMinutes(5) + VerificationPolicy.MaxClockSkew, token.ExpiresAt);
        Assert.Equal(now + PassportLimits.MaxRootTtl + VerificationPolicy.MaxClockSkew, subject.ExpiresAt);
        Assert.Null(token.Before);
        Assert.Equal(now, subject.Before);
    }

    [Fact]
    public async Task InMemory_StreamOfRevocations_StaysBoundedByExpiry()
    {
        var store = new InMemoryRevocationStore(_time);
        int peak = 0;
        for (int i = 0; i < 10_000; i++)
        {
            // One revocation a second, each of a 5-minute Passport: at most ~5 min + skew of them can be live.
            await store.RevokeAsync(RevocationEntry.ForToken($"jti-{i}", _time.GetUtcNow().AddMinutes(5)));
            peak = Math.Max(peak, store.Current.Count);
            _time.Advance(TimeSpan.FromSeconds(1));
        }

        int bound = (int)(TimeSpan.FromMinutes(5) + VerificationPolicy.MaxClockSkew).TotalSeconds + 1;
        Assert.InRange(peak, bound - 1, bound);
        Assert.True(store.Current.Count <= bound);
    }

    [Fact]
    public async Task InMemory_LaterCutoffForSamePrincipal_Wins()
    {
        var store = new InMemoryRevocationStore(_time);
        var t = _time.GetUtcNow();
        await store.RevokeAsync(RevocationEntry.ForSubject("alice", t.AddMinutes(10)));
        await store.RevokeAsync(RevocationEntry.ForSubject("alice", t));

        var entry = Assert.Single(store.Current.Entries);
        Assert.Equal(t.AddMinutes(10), entry.Before);
    }

    [Fact]
    public async Task File_TwoInstances_SeeEachOthersRevocationsAfterTheReloadInterval()
    {
        var a = new FileRevocationStore(FilePath, _time, TimeSpan.FromMilliseconds(500));
        var b = new FileRevocationStore(FilePath, _time, TimeSpan.FromMilliseconds(500));
        Assert.True(b.TryGetCurrent(out var before, out _));
        Assert.Equal(0, before.Count);

        await a.RevokeAsync(RevocationEntry.ForToken("from-a", _time.GetUtcNow().AddMinutes(5)));
        await b.RevokeAsync(RevocationEntry.ForToken("from-b", _time.GetUtcNow().AddMinutes(5)));

        // b's write re-read the file under the lock, so a's entry survived it.
        Assert.True(b.TryGetCurrent(out var seenByB, out _));
        Assert.Equal(["from-a", "from-b"], seenByB.Entries.Select(e => e.Value).Order());

        _time.Advance(TimeSpan.FromMilliseconds(500));
        Assert.True(a.TryGetCurrent(out var seenByA, out _));
        Assert.Equal(2, seenByA.Count);

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(FilePath));
    }

    [Fact]
    public async Task File_ConcurrentWritersInParallel_LoseNoEntry()
    {
        var stores = Enumerable.Range(0, 4).Select(_ => new FileRevocationStore(FilePath, _time, TimeSpan.Zero)).ToArray();
        await Task.WhenAll(Enumerable.Range(0, 40).Select(i => Task.Run(async () =>
            await stores[i % 4].RevokeAsync(RevocationEntry.ForToken($"jti-{i}", _time.GetUtcNow().AddMinutes(5))))));

        Assert.True(new FileRevocationStore(FilePath, _time).TryGetCurrent(out var all, out _));
        Assert.Equal(40, all.Count);
    }

    [Fact]
    public async Task File_Corrupt_FailsClosedUntilRepaired()
    {
        var store = new FileRevocationStore(FilePath, _time, TimeSpan.FromSeconds(1));
        await store.RevokeAsync(RevocationEntry.ForToken("jti-1", _time.GetUtcNow().AddMinutes(5)));
        var good = await File.ReadAllBytesAsync(FilePath);

        await File.WriteAllTextAsync(FilePath, "{\"version\":1,\"entries\":[{\"kind\":\"jti\"}]}");
        File.SetUnixFileMode(FilePath, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.False(store.TryGetCurrent(out _, out var reason));
        Assert.Contains("could not be read", reason);
        var write = await Assert.ThrowsAsync<AgentPassportException>(async () => await store.RevokeAsync(RevocationEntry.ForToken("jti-2", _time.GetUtcNow())));
        Assert.Equal(PassportErrorKind.RevocationUnavailable, write.Kind);

        await File.WriteAllBytesAsync(FilePath, good);
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.True(store.TryGetCurrent(out var repaired, out _));
        Assert.Equal("jti-1", Assert.Single(repaired.Entries).Value);
    }

    [Fact]
    public async Task File_WritableByOthers_FailsClosed()
    {
        var store = new FileRevocationStore(FilePath, _time, TimeSpan.Zero);
        await store.RevokeAsync(RevocationEntry.ForToken("jti-1", _time.GetUtcNow().AddMinutes(5)));

        File.SetUnixFileMode(FilePath, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.OtherWrite);

        Assert.False(store.TryGetCurrent(out _, out var reason));
        Assert.Contains("owner-only", reason);
    }

    [Fact]
    public async Task File_ExpiredEntriesAreDroppedOnWrite()
    {
        var store = new FileRevocationStore(FilePath, _time, TimeSpan.Zero);
        await store.RevokeAsync(RevocationEntry.ForToken("old", _time.GetUtcNow().AddMinutes(1)));
        _time.Advance(TimeSpan.FromMinutes(1) + VerificationPolicy.MaxClockSkew + TimeSpan.FromSeconds(1));

        await store.RevokeAsync(RevocationEntry.ForToken("new", _time.GetUtcNow().AddMinutes(1)));

        Assert.DoesNotContain("\"old\"", await File.ReadAllTextAsync(FilePath));
        Assert.True(store.TryGetCurrent(out var set, out _));
        Assert.Equal("new", Assert.Single(set.Entries).Value);
    }

    public void Dispose()
    {
        if (Directory.Exists(_dir))
        {
            Directory.Delete(_dir, recursive: true);
        }
    }
}
