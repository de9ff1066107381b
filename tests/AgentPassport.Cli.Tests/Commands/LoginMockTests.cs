using AgentPassport.Cli.Tests.Support;
using AgentPassport.Testing;

namespace AgentPassport.Cli.Tests.Commands;

/// <summary>
/// <c>login --mock</c>: an offline development sign-in whose ID token <c>issue</c> trusts only while no CSP is
/// configured, and only with the keys stored by that login.
/// </summary>
public sealed class LoginMockTests : IClassFixture<MockProviderFixture>, IDisposable
{
    private const UnixFileMode Mode600 = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private const string MockIssuer = "https://mock-csp.agent-passport.invalid";
    private readonly MockProviderFixture _csp;
    private readonly CliSandbox _cli = new();

    public LoginMockTests(MockProviderFixture csp) => _csp = csp;

    private string DevelopmentFile => Path.Combine(_cli.DataDir, "development-provider.json");

    [Fact]
    public async Task LoginMock_SaysDevelopmentOnly_StoresOwnerOnly_AndIssueTrustsIt_WithNoConfiguration()
    {
        var login = await _cli.RunAsync("login", "--mock", "--sub", "bob@example.gov");

        Assert.True(login.ExitCode == 0, login.ToString());
        Assert.StartsWith("DEVELOPMENT ONLY: ", login.Stderr);
        Assert.Equal($"ID token stored at {Path.Combine(_cli.DataDir, "id_token")}\nsubject: bob@example.gov (issuer {MockIssuer}, IAL=2 AAL=2 FAL=2)\n", login.Stdout);
        Assert.Equal(Mode600, File.GetUnixFileMode(Path.Combine(_cli.DataDir, "id_token")));
        Assert.Equal(Mode600, File.GetUnixFileMode(DevelopmentFile));
        Assert.Contains("\"development_only\"", File.ReadAllText(DevelopmentFile));
        Assert.DoesNotContain("\"d\"", File.ReadAllText(DevelopmentFile));

        var issue = await _cli.RunAsync("issue", "--agent-id", "agent:bob", "--agent-model", "m", "--aud", "https://a.example/");

        Assert.True(issue.ExitCode == 0, issue.ToString());
        var passport = PassportReader.DecodeUnverified(issue.Out);
        Assert.Equal("bob@example.gov", passport.Subject);
        Assert.Equal(2, passport.Ial);
    }

    [Fact]
    public async Task LoginMock_Acr_IsTheIdTokensAcr_AndSetsTheLevels()
    {
        var login = await _cli.RunAsync("login", "--mock", "--acr", "http://idmanagement.gov/ns/assurance/ial/1");
        var issue = await _cli.RunAsync("issue", "--agent-id", "a", "--agent-model", "m", "--aud", "https://a.example/");

        Assert.True(login.ExitCode == 0, login.ToString());
        Assert.Equal(1, PassportReader.DecodeUnverified(issue.Out).Ial);
    }

    [Fact]
    public async Task LoginMock_UnmappedAcr_FailsTypedAndStoresNothing()
    {
        var login = await _cli.RunAsync("login", "--mock", "--acr", "urn:unknown");

        Assert.Equal(1, login.ExitCode);
        Assert.StartsWith("login failed: UnsupportedAcr: ", login.Stderr);
        Assert.False(File.Exists(Path.Combine(_cli.DataDir, "id_token")));
    }

    [Fact]
    public async Task MockIdToken_IsRefused_WhenACspIsConfigured()
    {
        await _cli.RunAsync("login", "--mock");
        _csp.Configure(_cli);

        var issue = await _cli.RunAsync("issue", "--agent-id", "a", "--agent-model", "m", "--aud", "https://a.example/");

        Assert.Equal(1, issue.ExitCode);
        Assert.StartsWith("issuance failed: the ID token comes from the development provider of 'login --mock', which is never trusted while CSP_DISCOVERY_URL is set", issue.Stderr);
        Assert.Empty(issue.Stdout);
    }

    [Fact]
    public async Task LoginMock_IsRefused_WhenACspIsConfigured()
    {
        _csp.Configure(_cli);

        var login = await _cli.RunAsync("login", "--mock");

        Assert.Equal(2, login.ExitCode);
        Assert.Contains("CSP_DISCOVERY_URL is set", login.Stderr);
        Assert.False(File.Exists(Path.Combine(_cli.DataDir, "id_token")));
    }

    [Fact]
    public async Task ATokenClaimingTheMockIssuer_ButSignedByAnotherKey_IsRefused()
    {
        await _cli.RunAsync("login", "--mock");
        using var forger = new MockIdTokenMinter(MockIssuer, "agent-passport-cli-development");
        string forged = forger.Mint(new MockIdTokenOptions { Subject = "mallory@example.gov" });

        var issue = await _cli.RunAsync("issue", "--agent-id", "a", "--agent-model", "m", "--aud", "https://a.example/", "--id-token", forged);

        Assert.Equal(1, issue.ExitCode);
        Assert.StartsWith("issuance failed: ", issue.Stderr);
        Assert.Empty(issue.Stdout);
    }

    [Fact]
    public async Task MockIdToken_WithoutTheStoredKeys_IsRefused()
    {
        await _cli.RunAsync("login", "--mock");
        File.Delete(DevelopmentFile);

        var issue = await _cli.RunAsync("issue", "--agent-id", "a", "--agent-model", "m", "--aud", "https://a.example/");

        Assert.Equal(1, issue.ExitCode);
        Assert.Contains("run 'agent-passport login --mock' again", issue.Stderr);
    }

    [Fact]
    public async Task ARealLogin_EndsTheDevelopmentTrust()
    {
        await _cli.RunAsync("login", "--mock");
        Assert.True(File.Exists(DevelopmentFile));
        _csp.Configure(_cli);

        var login = await _cli.RunAsync("login", "--id-token", _csp.Provider.MintIdToken());

        Assert.True(login.ExitCode == 0, login.ToString());
        Assert.False(File.Exists(DevelopmentFile));
    }

    [Theory]
    [InlineData("--sub", "bob")]
    [InlineData("--acr", "urn:x")]
    public async Task SubOrAcr_WithoutMock_IsAUsageError(string option, string value)
    {
        var login = await _cli.RunAsync("login", option, value);

        Assert.Equal(2, login.ExitCode);
        Assert.Contains("only apply with --mock", login.Stderr);
    }

    public void Dispose() => _cli.Dispose();
}
