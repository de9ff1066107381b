using AgentPassport.Cli.Tests.Support;

namespace AgentPassport.Cli.Tests;

/// <summary>Exit code 2 for every usage or configuration error, with a message naming the flag or variable.</summary>
public sealed class UsageErrorTests : IDisposable
{
    private readonly CliSandbox _cli = new();

    public static TheoryData<string, string[]> MissingOrBadFlags => new()
    {
        { "--aud", ["verify", "x.y.z"] },
        { "--aud", ["verify", "x.y.z", "--aud", "  "] },
        { "--require-ial", ["verify", "x.y.z", "--aud", "a", "--require-ial", "4"] },
        { "--require-aal", ["verify", "x.y.z", "--aud", "a", "--require-aal", "-1"] },
        { "--require-fal", ["verify", "x.y.z", "--aud", "a", "--require-fal", "9"] },
        { "--agent-id", ["delegate", "x.y.z", "--agent-model", "m", "--aud", "a"] },
        { "--agent-model", ["delegate", "x.y.z", "--agent-id", "i", "--aud", "a"] },
        { "--aud", ["delegate", "x.y.z", "--agent-id", "i", "--agent-model", "m"] },
        { "--ttl", ["delegate", "x.y.z", "--agent-id", "i", "--agent-model", "m", "--aud", "a", "--ttl", "0"] },
        { "--agent-id", ["issue", "--agent-model", "m", "--aud", "a"] },
        { "--ttl", ["issue", "--agent-id", "i", "--agent-model", "m", "--aud", "a", "--ttl", "0"] },
        { "--ttl", ["issue", "--agent-id", "i", "--agent-model", "m", "--aud", "a", "--ttl", "soon"] },
        { "--format", ["inspect", "x.y.z", "--format", "yaml"] },
        { "--chain", ["verify", "x.y.z", "--aud", "a", "--chain", "/no/such/file"] },
        { "--jwks", ["verify", "x.y.z", "--aud", "a", "--jwks", "/no/such/jwks.json"] },
        { "--jwks", ["verify", "x.y.z", "--aud", "a", "--jwks", "http://issuer.example.com/jwks"] },
        { "required scope", ["verify", "x.y.z", "--aud", "a", "--required-scope", "flights:*"] },
        { "bogus", ["bogus"] },
    };

    [Theory]
    [MemberData(nameof(MissingOrBadFlags))]
    public async Task BadFlag_ExitsTwo_NamingIt(string named, string[] args)
    {
        var result = await _cli.RunAsync(args);

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains(named, result.Stderr);
        Assert.DoesNotContain("   at ", result.Stderr);
        Assert.Equal("", result.Stdout);
    }

    [Theory]
    [InlineData("login")]
    [InlineData("issue")]
    public async Task CspCommand_WithoutDiscoveryUrl_ExitsTwo_NamingTheVariable(string command)
    {
        var result = await _cli.RunAsync(command == "issue" ? ["issue", "--agent-id", "i", "--agent-model", "m", "--aud", "a", "--id-token", "a.b.c"] : [command]);

        Assert.Equal(2, result.ExitCode);
        Assert.StartsWith("CSP_DISCOVERY_URL is not set", result.Stderr);
    }

    [Fact]
    public async Task Issue_WithoutDiscoveryUrl_PointsAtTheOfflineLogin()
    {
        var result = await _cli.RunAsync("issue", "--agent-id", "i", "--agent-model", "m", "--aud", "a", "--id-token", "a.b.c");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("'agent-passport login --mock'", result.Stderr);
    }

    [Fact]
    public async Task Verify_UnknownOption_IsAUsageError_WithAHint_NotAnInvalidToken()
    {
        var result = await _cli.RunWithInputAsync("x.y.z", "verify", "--aud", "x", "--frobnicate");

        Assert.Equal(2, result.ExitCode);
        Assert.Equal("Unrecognized option '--frobnicate'.\nRun 'agent-passport verify --help' for usage.\n", result.Stderr);
    }

    [Fact]
    public async Task Verify_UnknownOption_AfterTheToken_IsAUsageError()
    {
        var result = await _cli.RunAsync("verify", "x.y.z", "--aud", "x", "--frobnicate");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("'--frobnicate'", result.Stderr);
        Assert.Contains("Run 'agent-passport verify --help' for usage.", result.Stderr);
    }

    [Theory]
    [InlineData("verify", "--aud", "x")]
    [InlineData("inspect", "--tree", null)]
    [InlineData("delegate", "--agent-id", "b")]
    public async Task PositionalToken_ThatNamesAFile_IsAUsageError_SuggestingStdin(string command, string option, string? value)
    {
        _cli.WriteFile("alice.jwt", "not read");
        string[] args = value is null ? [command, "alice.jwt", option] : [command, "alice.jwt", option, value];

        var result = await _cli.RunAsync(args);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("'alice.jwt' is a file, not a token: give the token itself, or read the file on stdin ('< alice.jwt').", result.Stderr);
        Assert.DoesNotContain("InvalidToken", result.Stderr);
    }

    [Fact]
    public async Task IdTokenOption_ThatNamesAFile_IsAUsageError()
    {
        _cli.WriteFile("id_token.txt", "not read");
        _cli.Environment["CSP_DISCOVERY_URL"] = "http://127.0.0.1:9/.well-known/openid-configuration";
        _cli.Environment["CSP_CLIENT_ID"] = "client";

        var result = await _cli.RunAsync("login", "--id-token", "id_token.txt");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("'id_token.txt' is a file, not a token", result.Stderr);
    }

    [Fact]
    public async Task Login_EmptyClientId_CountsAsUnset()
    {
        _cli.Environment["CSP_DISCOVERY_URL"] = "http://127.0.0.1:9/.well-known/openid-configuration";
        _cli.Environment["CSP_CLIENT_ID"] = "";

        var result = await _cli.RunAsync("login");

        Assert.Equal(2, result.ExitCode);
        Assert.StartsWith("CSP_CLIENT_ID is not set", result.Stderr);
    }

    [Fact]
    public async Task Login_UnknownAcrMapping_ExitsTwo()
    {
        _cli.Environment["CSP_DISCOVERY_URL"] = "http://127.0.0.1:9/.well-known/openid-configuration";
        _cli.Environment["CSP_CLIENT_ID"] = "c";
        _cli.Environment["CSP_ACR_MAPPING"] = "No.Such.Mapping, NoSuchAssembly";

        var result = await _cli.RunAsync("login");

        Assert.Equal(2, result.ExitCode);
        Assert.StartsWith("Could not load CSP_ACR_MAPPING=No.Such.Mapping", result.Stderr);
    }

    [Fact]
    public async Task DotEnv_NeverOverridesTheEnvironment()
    {
        _cli.WriteFile(".env", "# local settings\nAGENT_PASSPORT_ISSUER=https://dotenv-issuer.example\n");
        _cli.Environment["AGENT_PASSPORT_ISSUER"] = "https://env-issuer.example";
        using var envMint = new LocalMint(_cli, issuerUrl: "https://env-issuer.example");
        using var dotEnvMint = new LocalMint(_cli, issuerUrl: "https://dotenv-issuer.example");

        var trusted = await _cli.RunAsync("verify", envMint.Root().Token, "--aud", "https://service-a.example.com/");
        var untrusted = await _cli.RunAsync("verify", dotEnvMint.Root().Token, "--aud", "https://service-a.example.com/");

        Assert.True(trusted.ExitCode == 0, trusted.ToString());
        Assert.StartsWith("verification failed: UntrustedIssuer: ", untrusted.Stderr);
    }

    [Fact]
    public async Task DotEnv_SuppliesVariablesTheEnvironmentLacks()
    {
        _cli.WriteFile(".env", "export AGENT_PASSPORT_ISSUER=\"https://dotenv-issuer.example\"\nCSP_DISCOVERY_URL=http://127.0.0.1:9/.well-known/openid-configuration # unreachable\nCSP_CLIENT_ID='from-dotenv'\n");
        using var dotEnvMint = new LocalMint(_cli, issuerUrl: "https://dotenv-issuer.example");

        var verify = await _cli.RunAsync("verify", dotEnvMint.Root().Token, "--aud", "https://service-a.example.com/");
        var login = await _cli.RunAsync("login", "--id-token", "a.b.c");

        Assert.True(verify.ExitCode == 0, verify.ToString());

        // Configuration is complete, so login reaches the (unreachable) provider: a runtime failure, not a usage error.
        Assert.True(login.ExitCode == 1, login.ToString());
        Assert.StartsWith("login failed: ", login.Stderr);
    }

    [Fact]
    public async Task NoArguments_PrintsHelp_ExitsTwo()
    {
        var result = await _cli.RunAsync();

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("verify", result.Stdout);
        Assert.Contains("delegate", result.Stdout);
    }

    [Fact]
    public async Task Help_ExitsZero()
    {
        var result = await _cli.RunAsync("verify", "--help");

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("--require-ial", result.Stdout);
    }

    [Fact]
    public async Task EmptyStdin_IsAUsageError()
    {
        var result = await _cli.RunWithInputAsync("  \n", "verify", "--aud", "a", "--jwks", _cli.WriteFile("k.json", """{"keys":[]}"""));

        Assert.Equal(2, result.ExitCode);
        Assert.Equal("Empty token on stdin.", result.Stderr.Trim());
    }

    [Fact]
    public async Task TerminalStdin_WithoutAToken_IsAUsageError()
    {
        // script(1) gives the tool a pseudo-terminal as stdin; -e passes its exit code through.
        var result = await _cli.ShellAsync("script -qec \"$AP inspect\" /dev/null");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("No token given and stdin is a TTY.", result.Stdout + result.Stderr);
    }

    public void Dispose() => _cli.Dispose();
}
