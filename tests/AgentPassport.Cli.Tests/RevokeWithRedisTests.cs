using AgentPassport.Cli.Tests.Support;
using AgentPassport.Redis.Tests.Support;

namespace AgentPassport.Cli.Tests;

/// <summary><c>AGENT_PASSPORT_REVOCATION=redis://…</c> against a real redis-server: revoke, list, verify; fail closed when Redis is down.</summary>
public sealed class RevokeWithRedisTests : IAsyncLifetime, IDisposable
{
    private const string Aud = "https://service-a.example.com/";
    private readonly CliSandbox _cli = new();
    private LocalMint _mint = null!;
    private RedisServer _redis = null!;

    public async Task InitializeAsync()
    {
        _redis = await RedisServer.StartAsync();
        _mint = new LocalMint(_cli);
        _cli.Environment["AGENT_PASSPORT_REVOCATION"] = $"redis://127.0.0.1:{_redis.Port}";
    }

    public async Task DisposeAsync() => await _redis.DisposeAsync();

    public void Dispose()
    {
        _mint?.Dispose();
        _cli.Dispose();
    }

    [Fact]
    public async Task RevokeThroughRedis_NextVerifyProcessRefuses_ListShowsIt_NoFileWritten()
    {
        string root = _mint.Root().Token;
        Assert.Equal(0, (await _cli.RunAsync("verify", root, "--aud", Aud)).ExitCode);

        var revoked = await _cli.RunWithInputAsync(root, "revoke");
        Assert.True(revoked.ExitCode == 0, revoked.ToString());
        Assert.Contains($"redis://127.0.0.1:{_redis.Port}", revoked.Out);

        var verify = await _cli.RunAsync("verify", root, "--aud", Aud);
        Assert.Equal(1, verify.ExitCode);
        Assert.Contains("Revoked", verify.Stderr);
        var list = await _cli.RunAsync("revocations", "list");
        Assert.StartsWith($"jti {PassportReader.DecodeUnverified(root).TokenId}", list.Out);
        Assert.False(File.Exists(Path.Combine(_cli.DataDir, "revocations.json")));
    }

    [Fact]
    public async Task RedisDown_VerifyFailsClosedWithRevocationUnavailable()
    {
        string root = _mint.Root().Token;
        await _redis.StopAsync();

        var verify = await _cli.RunAsync("verify", root, "--aud", Aud);

        Assert.Equal(1, verify.ExitCode);
        Assert.Contains("RevocationUnavailable", verify.Stderr);
        Assert.Contains("AP0041", verify.Stderr);
    }
}
