using AgentPassport.Cli.Tests.Support;

namespace AgentPassport.Cli.Tests.Commands;

/// <summary><c>where</c> and <c>keys</c> as processes: locations, modes, and two processes creating keys at once.</summary>
public sealed class WhereAndKeysTests : IDisposable
{
    private const UnixFileMode Mode700 = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    private const UnixFileMode Mode600 = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private readonly CliSandbox _cli = new();

    [Fact]
    public async Task Where_UsesXdgDataHome_AndCreatesIt0700()
    {
        var result = await _cli.RunAsync("where");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(_cli.DataDir, result.Out);
        Assert.Equal(Mode700, File.GetUnixFileMode(_cli.DataDir));
    }

    [Fact]
    public async Task Where_WithoutXdgDataHome_FallsBackToHomeLocalShare()
    {
        _cli.Environment.Remove("XDG_DATA_HOME");

        var result = await _cli.RunAsync("where");

        string expected = Path.Combine(_cli.Home, ".local", "share", "agent-passport");
        Assert.Equal(expected, result.Out);
        Assert.Equal(Mode700, File.GetUnixFileMode(expected));
    }

    [Fact]
    public async Task KeysJwks_FirstUse_CreatesThePrivateKey0600InA0700Directory_AndPrintsOnlyPublicKeys()
    {
        var result = await _cli.RunAsync("keys", "jwks");

        Assert.Equal(0, result.ExitCode);
        var key = Assert.Single(Jwks.Import(result.Stdout));
        Assert.DoesNotContain("\"d\"", result.Stdout);
        Assert.Equal(PassportAlgorithms.ES256, key.Algorithm);
        Assert.Equal(Mode700, File.GetUnixFileMode(_cli.KeysDir));
        Assert.Equal(Mode600, File.GetUnixFileMode(Path.Combine(_cli.KeysDir, FilePassportKeyStore.PrivateKeyFileName)));
    }

    [Fact]
    public async Task KeysJwks_TwoProcessesAtOnceOnAFreshDirectory_AgreeOnOneKey()
    {
        var results = await Task.WhenAll(_cli.RunAsync("keys", "jwks"), _cli.RunAsync("keys", "jwks"), _cli.RunAsync("keys", "jwks"));

        Assert.All(results, r => Assert.Equal(0, r.ExitCode));
        Assert.Single(results.Select(r => Assert.Single(Jwks.Import(r.Stdout)).KeyId).Distinct());
    }

    [Fact]
    public async Task KeysRotate_PrivateKeyReadableByOthers_FailsWithoutAStackTrace()
    {
        Assert.Equal(0, (await _cli.RunAsync("keys", "jwks")).ExitCode);
        File.SetUnixFileMode(Path.Combine(_cli.KeysDir, FilePassportKeyStore.PrivateKeyFileName), Mode600 | UnixFileMode.OtherRead);

        var result = await _cli.RunAsync("keys", "rotate");

        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith("error: ", result.Stderr);
        Assert.Contains("0600", result.Stderr);
        Assert.DoesNotContain("   at ", result.Stderr);
    }

    public void Dispose() => _cli.Dispose();
}
