using System.Runtime.Versioning;
using AgentPassport.Tests.Support;

namespace AgentPassport.Tests.Keys;

// Asserts Unix file modes (owner-only key files), as the CLI suite this moved from.
[UnsupportedOSPlatform("windows")]
public sealed class FilePassportKeyStoreTests : IDisposable
{
    private const string LocalIssuer = "https://issuer.local";
    private const UnixFileMode Mode700 = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    private const UnixFileMode Mode600 = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private readonly string _root = Path.Combine(Path.GetTempPath(), "ap-keys-" + Guid.NewGuid().ToString("N")[..12]);

    private string KeyDir => Path.Combine(_root, "nested", "keys");

    [Fact]
    public void Open_EmptyLocation_CreatesDirectory0700_PrivateKey0600_AndJwksWithTheKey()
    {
        using var store = new FilePassportKeyStore(KeyDir);

        Assert.Equal(Mode700, File.GetUnixFileMode(KeyDir));
        string privateKey = Path.Combine(KeyDir, FilePassportKeyStore.PrivateKeyFileName);
        Assert.Equal(Mode600, File.GetUnixFileMode(privateKey));
        Assert.StartsWith("-----BEGIN PRIVATE KEY-----", File.ReadAllText(privateKey));
        var published = Jwks.Import(File.ReadAllText(Path.Combine(KeyDir, FilePassportKeyStore.JwksFileName)));
        Assert.Equal(store.CurrentSigningKey.KeyId, Assert.Single(published).KeyId);
        Assert.Equal(PassportAlgorithms.ES256, store.CurrentSigningKey.Algorithm);
    }

    [Fact]
    public void Open_Twice_LoadsTheSameKey_AndLeavesNoTemporaryFiles()
    {
        string kid;
        using (var first = new FilePassportKeyStore(KeyDir))
        {
            kid = first.CurrentSigningKey.KeyId;
        }

        using var second = new FilePassportKeyStore(KeyDir);

        Assert.Equal(kid, second.CurrentSigningKey.KeyId);
        Assert.Empty(Directory.GetFiles(KeyDir, "*.tmp"));
    }

    [Fact]
    public void Exists_EmptyLocation_IsFalseAndCreatesNothing()
    {
        Assert.False(FilePassportKeyStore.Exists(KeyDir));
        Assert.False(Directory.Exists(KeyDir));
    }

    [Fact]
    public async Task Rotate_KeepsThePreviousPublicKey_SoOldPassportsStillVerify_AndPersists()
    {
        string oldToken;
        string oldKid;
        using (var store = new FilePassportKeyStore(KeyDir))
        {
            var issuer = new PassportIssuer(new PassportIssuerOptions { IssuerUrl = LocalIssuer, KeyStore = store });
            oldToken = issuer.Issue(Root()).Token;
            oldKid = store.CurrentSigningKey.KeyId;

            var next = store.Rotate();

            Assert.NotEqual(oldKid, next.KeyId);
            Assert.Equal([next.KeyId, oldKid], store.VerificationKeys.Select(k => k.KeyId));
            Assert.Equal(Mode600, File.GetUnixFileMode(Path.Combine(KeyDir, FilePassportKeyStore.PrivateKeyFileName)));
        }

        using var reopened = new FilePassportKeyStore(KeyDir);
        Assert.NotEqual(oldKid, reopened.CurrentSigningKey.KeyId);
        Assert.Equal(2, reopened.VerificationKeys.Count);
        var verified = await new PassportVerifier(reopened).VerifyAsync(oldToken, new VerificationPolicy(LocalIssuer, "https://a.example/"));
        Assert.Equal("agent:a", verified.Passport.AgentId);
        var fresh = new PassportIssuer(new PassportIssuerOptions { IssuerUrl = LocalIssuer, KeyStore = reopened }).Issue(Root());
        Assert.Equal("agent:a", (await new PassportVerifier(reopened).VerifyAsync(fresh.Token, new VerificationPolicy(LocalIssuer, "https://a.example/"))).Passport.AgentId);
    }

    [Fact]
    public async Task FindKey_AfterAnotherInstanceRotated_PicksUpTheNewKeyFromDisk()
    {
        using var reader = new FilePassportKeyStore(KeyDir);
        using var writer = new FilePassportKeyStore(KeyDir);

        var next = writer.Rotate();

        Assert.NotNull(await reader.FindKeyAsync(next.KeyId));
        Assert.Equal(next.KeyId, reader.CurrentSigningKey.KeyId);
        Assert.Null(await reader.FindKeyAsync("no-such-kid"));
    }

    [Fact]
    public async Task FindKey_AKeyRemovedByAnotherInstance_StopsVerifyingWithinTheReloadInterval()
    {
        // Issue 13 item 8: a key removed from the on-disk JWKS is no longer trusted after at most one interval.
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(DateTimeOffset.UtcNow);
        using var reader = new FilePassportKeyStore(KeyDir, timeProvider: time);
        using var writer = new FilePassportKeyStore(KeyDir);
        string compromised = writer.CurrentSigningKey.KeyId;
        writer.Rotate();
        Assert.NotNull(await reader.FindKeyAsync(compromised));

        Assert.True(writer.Remove(compromised));
        time.Advance(FilePassportKeyStore.ReloadInterval);

        Assert.Null(await reader.FindKeyAsync(compromised));
        Assert.NotNull(await reader.FindKeyAsync(writer.CurrentSigningKey.KeyId));
        Assert.Null(await writer.FindKeyAsync(compromised));
    }

    [Fact]
    public async Task FindKey_ChecksTheFileAtMostOncePerInterval()
    {
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(DateTimeOffset.UtcNow);
        using var reader = new FilePassportKeyStore(KeyDir, timeProvider: time);
        using var writer = new FilePassportKeyStore(KeyDir);
        string old = writer.CurrentSigningKey.KeyId;
        writer.Rotate();
        Assert.NotNull(await reader.FindKeyAsync(old));
        time.Advance(FilePassportKeyStore.ReloadInterval);
        Assert.NotNull(await reader.FindKeyAsync(old)); // the check of this interval happens here (nothing removed yet)

        writer.Remove(old);
        time.Advance(FilePassportKeyStore.ReloadInterval / 2);
        var withinInterval = await reader.FindKeyAsync(old);
        time.Advance(FilePassportKeyStore.ReloadInterval / 2);
        var afterInterval = await reader.FindKeyAsync(old);

        Assert.NotNull(withinInterval);
        Assert.Null(afterInterval);
    }

    [Fact]
    public void Remove_TheCurrentKey_IsRefused_AndAnUnknownKidIsFalse()
    {
        using var store = new FilePassportKeyStore(KeyDir);

        var ex = Assert.Throws<InvalidOperationException>(() => store.Remove(store.CurrentSigningKey.KeyId));

        Assert.Contains("rotate first", ex.Message, StringComparison.Ordinal);
        Assert.False(store.Remove("no-such-kid"));
    }

    [Fact]
    public void Open_PrivateKeyReadableByOthers_IsRefused()
    {
        using (new FilePassportKeyStore(KeyDir))
        {
        }

        File.SetUnixFileMode(Path.Combine(KeyDir, FilePassportKeyStore.PrivateKeyFileName), Mode600 | UnixFileMode.GroupRead | UnixFileMode.OtherRead);

        var ex = Assert.Throws<InvalidOperationException>(() => new FilePassportKeyStore(KeyDir));
        Assert.Contains("0600", ex.Message);
    }

    [Fact]
    public void Open_DirectoryWritableByOthers_IsRefused()
    {
        Directory.CreateDirectory(KeyDir);
        File.SetUnixFileMode(KeyDir, Mode700 | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute);

        var ex = Assert.Throws<InvalidOperationException>(() => new FilePassportKeyStore(KeyDir));
        Assert.Contains("writable by other users", ex.Message);
        Assert.False(File.Exists(Path.Combine(KeyDir, FilePassportKeyStore.PrivateKeyFileName)));
    }

    [Fact]
    public async Task Open_ConcurrentlyOnAnEmptyDirectory_EveryInstanceGetsTheSameSingleKey()
    {
        var stores = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() => new FilePassportKeyStore(KeyDir))));
        try
        {
            Assert.Single(stores.Select(s => s.CurrentSigningKey.KeyId).Distinct());
            Assert.Single(Jwks.Import(File.ReadAllText(Path.Combine(KeyDir, FilePassportKeyStore.JwksFileName))));
        }
        finally
        {
            foreach (var s in stores)
            {
                s.Dispose();
            }
        }
    }

    [Fact]
    public async Task Open_WhileAnotherInstanceRotates_AlwaysLoadsACompleteKeyPublishedInItsJwks()
    {
        using var writer = new FilePassportKeyStore(KeyDir);
        using var done = new CancellationTokenSource();
        var rotations = Task.Run(() =>
        {
            for (int i = 0; i < 25; i++)
            {
                writer.Rotate();
            }

            done.Cancel();
        });

        int opened = 0;
        while (!done.IsCancellationRequested)
        {
            using var reader = new FilePassportKeyStore(KeyDir);

            // The JWKS is replaced before the private key, so whatever key a reader can sign with is already published.
            var published = Jwks.Import(File.ReadAllText(Path.Combine(KeyDir, FilePassportKeyStore.JwksFileName)));
            Assert.Contains(reader.CurrentSigningKey.KeyId, published.Select(k => k.KeyId));
            opened++;
        }

        await rotations;
        Assert.True(opened > 0);
        Assert.Equal(26, writer.VerificationKeys.Count);
        Assert.Empty(Directory.GetFiles(KeyDir, "*.tmp"));
    }

    [Fact]
    public void Open_Rs256Store_ReopensAsRs256()
    {
        string kid;
        using (var store = new FilePassportKeyStore(KeyDir, PassportAlgorithms.PS256))
        {
            kid = store.CurrentSigningKey.KeyId;
            Assert.Equal(PassportAlgorithms.PS256, store.CurrentSigningKey.Algorithm);
        }

        using var reopened = new FilePassportKeyStore(KeyDir);
        Assert.Equal(kid, reopened.CurrentSigningKey.KeyId);
        Assert.Equal(PassportAlgorithms.PS256, reopened.CurrentSigningKey.Algorithm);
    }

    [Fact]
    public void Open_CorruptPrivateKey_ThrowsAClearError()
    {
        using (new FilePassportKeyStore(KeyDir))
        {
        }

        File.WriteAllText(Path.Combine(KeyDir, FilePassportKeyStore.PrivateKeyFileName), "not a key");

        var ex = Assert.Throws<InvalidOperationException>(() => new FilePassportKeyStore(KeyDir));
        Assert.Contains("PKCS#8", ex.Message);
    }

    public void Dispose()
    {
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }

    private static RootPassportRequest Root() => new()
    {
        Identity = PassportTestContext.Identity(),
        AgentId = "agent:a",
        AgentModel = "m",
        Audience = "https://a.example/",
        ToolScope = ["x:y"],
    };
}
