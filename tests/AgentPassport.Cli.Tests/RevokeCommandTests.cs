using System.Text.Json;
using AgentPassport.Cli.Tests.Support;

namespace AgentPassport.Cli.Tests;

/// <summary><c>revoke</c> and <c>revocations list</c> as a process, and <c>verify</c> / <c>delegate</c> consulting the store.</summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")] // owner-only file modes are POSIX
public sealed class RevokeCommandTests : IDisposable
{
    private const string AudB = "https://service-b.example.com/";
    private const string Flights = "https://flights-mcp.example.com/";
    private readonly CliSandbox _cli = new();
    private readonly LocalMint _mint;

    public RevokeCommandTests() => _mint = new LocalMint(_cli);

    private async Task<(string Root, string RootFile, string Bob, string BobFile, string Carol)> ChainAsync()
    {
        string root = _mint.Root().Token;
        string rootFile = _cli.WriteFile("root.jwt", root);
        var bob = await _cli.RunAsync("delegate", root, "--agent-id", "agent:bob", "--agent-model", "m", "--aud", AudB, "--tool-scope", "flights:*");
        Assert.True(bob.ExitCode == 0, bob.ToString());
        var carol = await _cli.RunAsync("delegate", bob.Out, "--chain", rootFile, "--agent-id", "agent:carol", "--agent-model", "m", "--aud", Flights, "--tool-scope", "flights:book");
        Assert.True(carol.ExitCode == 0, carol.ToString());
        return (root, rootFile, bob.Out, _cli.WriteFile("bob.jwt", bob.Out), carol.Out);
    }

    [Fact]
    public async Task RevokeBobFromStdin_CarolRefusedAtVerifyAndDelegate_AliceStillVerifies_ListShowsTheEntry()
    {
        var (root, rootFile, bob, bobFile, carol) = await ChainAsync();

        var revoked = await _cli.RunWithInputAsync(bob, "revoke", "-");
        Assert.True(revoked.ExitCode == 0, revoked.ToString());
        var bobClaims = PassportReader.DecodeUnverified(bob);
        Assert.Contains($"revoked jti {bobClaims.TokenId}", revoked.Out);

        var verifyCarol = await _cli.RunAsync("verify", carol, "--aud", Flights, "--chain", rootFile, "--chain", bobFile);
        Assert.Equal(1, verifyCarol.ExitCode);
        Assert.Contains("Revoked: chain[1] (agent 'agent:bob') is revoked", verifyCarol.Stderr);
        Assert.Contains("AP0040", verifyCarol.Stderr);

        var delegateFromCarol = await _cli.RunAsync("delegate", carol, "--chain", rootFile, "--chain", bobFile, "--agent-id", "agent:dave", "--agent-model", "m", "--aud", Flights, "--tool-scope", "flights:book");
        Assert.Equal(1, delegateFromCarol.ExitCode);
        Assert.Contains("Revoked", delegateFromCarol.Stderr);

        Assert.Equal(0, (await _cli.RunAsync("verify", root, "--aud", "https://service-a.example.com/")).ExitCode);

        var list = await _cli.RunAsync("revocations", "list", "--format", "json");
        Assert.True(list.ExitCode == 0, list.ToString());
        using var json = JsonDocument.Parse(list.Out);
        var entry = Assert.Single(json.RootElement.EnumerateArray());
        Assert.Equal("jti", entry.GetProperty("kind").GetString());
        Assert.Equal(bobClaims.TokenId, entry.GetProperty("value").GetString());
        var expires = DateTimeOffset.Parse(entry.GetProperty("expires").GetString()!, System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(bobClaims.ExpiresAt + VerificationPolicy.MaxClockSkew, expires);

        string file = Path.Combine(_cli.DataDir, "revocations.json");
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
    }

    [Fact]
    public async Task RevokeSubject_StopsTheWholeTree_ListAsText()
    {
        var (root, _, _, _, _) = await ChainAsync();

        var revoked = await _cli.RunAsync("revoke", "--sub", LocalMint.Principal);
        Assert.True(revoked.ExitCode == 0, revoked.ToString());

        var verify = await _cli.RunAsync("verify", root, "--aud", "https://service-a.example.com/");
        Assert.Equal(1, verify.ExitCode);
        Assert.Contains($"every Passport of principal '{LocalMint.Principal}'", verify.Stderr);
        var list = await _cli.RunAsync("revocations", "list");
        Assert.StartsWith($"principal {LocalMint.Principal}: Passports issued before ", list.Out);
    }

    [Fact]
    public async Task RevokeAgentBeforeAPastTime_LeavesLaterPassportsValid_RevokeJtiUntil()
    {
        var (root, _, _, _, _) = await ChainAsync();

        var agent = await _cli.RunAsync("revoke", "--agent", "agent:alice", "--before", "2000-01-01T00:00:00Z");
        Assert.True(agent.ExitCode == 0, agent.ToString());
        Assert.Equal(0, (await _cli.RunAsync("verify", root, "--aud", "https://service-a.example.com/")).ExitCode);

        var claims = PassportReader.DecodeUnverified(root);
        var jti = await _cli.RunAsync("revoke", "--jti", claims.TokenId, "--until", claims.ExpiresAt.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.True(jti.ExitCode == 0, jti.ToString());
        Assert.Equal(1, (await _cli.RunAsync("verify", root, "--aud", "https://service-a.example.com/")).ExitCode);
    }

    [Theory]
    [InlineData("revoke", "--jti", "x")]
    [InlineData("revoke", "--sub", "a", "--agent", "b")]
    [InlineData("revoke", "--sub", "a", "--until", "2030-01-01")]
    [InlineData("revoke", "--agent", "a", "--before", "yesterday")]
    [InlineData("revoke", "--sub", " ")]
    public async Task BadRevokeArguments_AreUsageErrors(params string[] args)
    {
        var result = await _cli.RunAsync(args);

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.False(File.Exists(Path.Combine(_cli.DataDir, "revocations.json")));
    }

    [Fact]
    public async Task UnknownStoreSetting_IsAUsageError_AndAnUnreadableFileFailsClosed()
    {
        string root = _mint.Root().Token;
        _cli.Environment["AGENT_PASSPORT_REVOCATION"] = "memcached://x";
        var bad = await _cli.RunAsync("verify", root, "--aud", "https://service-a.example.com/");
        Assert.Equal(2, bad.ExitCode);
        Assert.Contains("AGENT_PASSPORT_REVOCATION must be", bad.Stderr);

        _cli.Environment.Remove("AGENT_PASSPORT_REVOCATION");
        string file = Path.Combine(_cli.DataDir, "revocations.json");
        await File.WriteAllTextAsync(file, "not json");
        File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        var closed = await _cli.RunAsync("verify", root, "--aud", "https://service-a.example.com/");
        Assert.Equal(1, closed.ExitCode);
        Assert.Contains("RevocationUnavailable", closed.Stderr);
    }

    public void Dispose()
    {
        _mint.Dispose();
        _cli.Dispose();
    }
}
