using System.Text.Json;
using AgentPassport.Cli.Tests.Support;
using AgentPassport.Testing;

namespace AgentPassport.Cli.Tests.Commands;

/// <summary>login and issue as processes against the mock OpenID provider, and the whole flow down to Carol.</summary>
public sealed class LoginIssueFlowTests : IClassFixture<MockProviderFixture>, IDisposable
{
    private const UnixFileMode Mode700 = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    private const UnixFileMode Mode600 = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private const string AudA = "https://service-a.example.com/";
    private const string AudB = "https://service-b.example.com/";
    private const string Flights = "https://flights-mcp.example.com/";
    private readonly MockProviderFixture _csp;
    private readonly CliSandbox _cli = new();

    public LoginIssueFlowTests(MockProviderFixture csp)
    {
        _csp = csp;
        csp.Configure(_cli);
    }

    private MockOpenIdProvider Provider => _csp.Provider;

    [Fact]
    public async Task Login_Issue_Verify_Delegate_Delegate_VerifyWithChain()
    {
        // login: the PKCE loopback flow; the test plays the browser by following the printed URL.
        using var browser = new HttpClient();
        var login = await _cli.RunInteractiveAsync(
            async line =>
            {
                if (line.TrimStart().StartsWith("http://127.0.0.1", StringComparison.Ordinal))
                {
                    using var response = await browser.GetAsync(line.Trim());
                }
            },
            "login", "--no-browser");
        Assert.True(login.ExitCode == 0, login.ToString());
        Assert.Contains($"ID token stored at {Path.Combine(_cli.DataDir, "id_token")}", login.Stdout);
        Assert.Equal(Mode700, File.GetUnixFileMode(_cli.DataDir));
        Assert.Equal(Mode600, File.GetUnixFileMode(Path.Combine(_cli.DataDir, "id_token")));

        var root = await _cli.RunAsync("issue", "--agent-id", "agent:alice", "--agent-model", "model-a", "--aud", AudA,
            "--tool-scope", "flights:*", "--tool-scope", "hotels:*", "--task-purpose", "plan a trip");
        Assert.True(root.ExitCode == 0, root.ToString());
        Assert.Equal(Mode600, File.GetUnixFileMode(Path.Combine(_cli.KeysDir, FilePassportKeyStore.PrivateKeyFileName)));
        Assert.Equal(Mode700, File.GetUnixFileMode(_cli.KeysDir));
        var rootClaims = PassportReader.DecodeUnverified(root.Out);
        Assert.Equal(TimeSpan.FromSeconds(900), rootClaims.ExpiresAt - rootClaims.IssuedAt);

        var verifiedRoot = await _cli.RunAsync("verify", root.Out, "--aud", AudA, "--require-ial", "2", "--required-scope", "flights:book");
        Assert.True(verifiedRoot.ExitCode == 0, verifiedRoot.ToString());
        Assert.Contains("\"sub\": \"alice@example.gov\"", verifiedRoot.Stdout);

        string rootFile = _cli.WriteFile("root.jwt", root.Out);
        var bob = await _cli.RunAsync("delegate", root.Out, "--agent-id", "agent:bob", "--agent-model", "model-b", "--aud", AudB, "--tool-scope", "flights:*");
        Assert.True(bob.ExitCode == 0, bob.ToString());
        string bobFile = _cli.WriteFile("bob.jwt", bob.Out);
        var bobClaims = PassportReader.DecodeUnverified(bob.Out);
        Assert.Equal(TimeSpan.FromSeconds(300), bobClaims.ExpiresAt - bobClaims.IssuedAt);

        var carol = await _cli.RunAsync("delegate", bob.Out, "--chain", rootFile, "--agent-id", "agent:carol", "--agent-model", "model-c",
            "--aud", Flights, "--tool-scope", "flights:book");
        Assert.True(carol.ExitCode == 0, carol.ToString());

        var verified = await _cli.RunAsync("verify", carol.Out, "--aud", Flights, "--chain", rootFile, "--chain", bobFile,
            "--require-ial", "2", "--require-aal", "2", "--require-fal", "2", "--required-scope", "flights:book");
        Assert.True(verified.ExitCode == 0, verified.ToString());
        using var json = JsonDocument.Parse(verified.Stdout["verified\n".Length..]);
        var c = json.RootElement;
        Assert.Equal("alice@example.gov", c.GetProperty("sub").GetString());
        Assert.Equal(MockIdTokenOptions.Ial2, c.GetProperty("acr").GetString());
        Assert.Equal(["agent:carol", "agent:bob", "agent:alice"], c.GetProperty("actor_chain").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(2, c.GetProperty("chain_depth").GetInt32());

        var missingLink = await _cli.RunAsync("verify", carol.Out, "--aud", Flights, "--chain", bobFile);
        Assert.Equal(1, missingLink.ExitCode);
        Assert.StartsWith("verification failed: ChainBroken: ", missingLink.Stderr);
    }

    [Fact]
    public async Task Login_WithAPastedIdToken_ValidatesThenStoresIt0600()
    {
        string idToken = Provider.MintIdToken("bob@example.gov");

        var result = await _cli.RunWithInputAsync(idToken + "\n", "login", "--id-token", "-");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("subject: bob@example.gov", result.Stdout);
        Assert.Contains("IAL=2", result.Stdout);
        string stored = Path.Combine(_cli.DataDir, "id_token");
        Assert.Equal(idToken, File.ReadAllText(stored).Trim());
        Assert.Equal(Mode600, File.GetUnixFileMode(stored));
        Assert.DoesNotContain(idToken, result.Stdout + result.Stderr);
    }

    [Fact]
    public async Task Login_WithAnExpiredIdToken_FailsAndStoresNothing()
    {
        string expired = Provider.Tokens.Mint(new MockIdTokenOptions
        {
            IssuedAt = TimeProvider.System.GetUtcNow().AddHours(-2),
            NotBefore = TimeProvider.System.GetUtcNow().AddHours(-2),
            Lifetime = TimeSpan.FromMinutes(5),
        });

        var result = await _cli.RunAsync("login", "--id-token", expired);

        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith("login failed: Expired: ", result.Stderr);
        Assert.False(File.Exists(Path.Combine(_cli.DataDir, "id_token")));
    }

    [Fact]
    public async Task Issue_IdTokenFromAnotherClient_IssuanceFailsWithAudienceMismatch()
    {
        string foreign = Provider.Tokens.Mint(new MockIdTokenOptions { Audiences = ["someone-else"] });

        var result = await _cli.RunAsync("issue", "--id-token", foreign, "--agent-id", "a", "--agent-model", "m", "--aud", AudA);

        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith("issuance failed: AudienceMismatch: ", result.Stderr);
        Assert.DoesNotContain("   at ", result.Stderr);
    }

    [Fact]
    public async Task Issue_UnsupportedAcr_IssuanceFailsWithUnsupportedAcr()
    {
        string token = Provider.MintIdToken(acr: "urn:example:loa:9");

        var result = await _cli.RunAsync("issue", "--id-token", token, "--agent-id", "a", "--agent-model", "m", "--aud", AudA);

        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith("issuance failed: UnsupportedAcr: ", result.Stderr);
    }

    [Fact]
    public async Task Issue_MalformedScope_IsRefusedWithIssuanceRefused()
    {
        var result = await _cli.RunAsync("issue", "--id-token", Provider.MintIdToken(), "--agent-id", "a", "--agent-model", "m", "--aud", AudA, "--tool-scope", "flights:b ook");

        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith("issuance refused: IssuanceRefused: ", result.Stderr);
        Assert.Equal("", result.Stdout);
    }

    [Fact]
    public async Task Issue_PipedIntoDelegate_PrintsAChildOfTheIssuedRoot()
    {
        string idFile = _cli.WriteFile("id.txt", Provider.MintIdToken());

        var result = await _cli.ShellAsync(
            $"$AP issue --id-token \"$(cat {idFile})\" --agent-id agent:alice --agent-model m --aud {AudA} --tool-scope 'flights:*' " +
            $"| $AP delegate --agent-id agent:bob --agent-model m --aud {AudB} --tool-scope flights:book");

        Assert.True(result.ExitCode == 0, result.ToString());
        var child = PassportReader.DecodeUnverified(result.Out);
        Assert.Equal("agent:bob", child.AgentId);
        Assert.Equal(["agent:bob", "agent:alice"], child.Actor.OutermostFirst());
        Assert.Equal(1, child.Depth);
    }

    [Fact]
    public async Task Issue_IdTokenOnStdin_IsValidatedAndUsed()
    {
        var result = await _cli.RunWithInputAsync(Provider.MintIdToken("carol@example.gov") + "\n",
            "issue", "--id-token", "-", "--agent-id", "agent:alice", "--agent-model", "m", "--aud", AudA, "--ttl", "60");

        Assert.True(result.ExitCode == 0, result.ToString());
        var claims = PassportReader.DecodeUnverified(result.Out);
        Assert.Equal("carol@example.gov", claims.Subject);
        Assert.Equal(TimeSpan.FromSeconds(60), claims.ExpiresAt - claims.IssuedAt);
        Assert.Empty(claims.ToolScope);
    }

    [Fact]
    public async Task Issue_WithoutAStoredIdToken_IsAUsageError()
    {
        var result = await _cli.RunAsync("issue", "--agent-id", "a", "--agent-model", "m", "--aud", AudA);

        Assert.Equal(2, result.ExitCode);
        Assert.StartsWith("No stored ID token", result.Stderr);
    }

    [Fact]
    public async Task Issue_TtlAboveTheCap_IsAUsageError()
    {
        var result = await _cli.RunAsync("issue", "--id-token", "x", "--agent-id", "a", "--agent-model", "m", "--aud", AudA, "--ttl", "86401");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--ttl", result.Stderr);
    }

    [Fact]
    public async Task KeysJwks_IsAllASecondProcessNeedsToVerifyWithJwks()
    {
        var root = await _cli.RunAsync("issue", "--id-token", Provider.MintIdToken(), "--agent-id", "agent:alice", "--agent-model", "m", "--aud", AudA, "--tool-scope", "flights:book");
        Assert.True(root.ExitCode == 0, root.ToString());
        var jwks = await _cli.RunAsync("keys", "jwks");
        Assert.Equal(0, jwks.ExitCode);

        using var verifier = new CliSandbox();
        string jwksFile = verifier.WriteFile("issuer.jwks.json", jwks.Stdout);
        var result = await verifier.RunWithInputAsync(root.Out, "verify", "--aud", AudA, "--jwks", jwksFile, "--issuer", CliSandbox.LocalIssuer);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.False(Directory.Exists(verifier.DataDir));
    }

    [Fact]
    public async Task Verify_JwksUrl_IsFetched_AndOnlyItsKeysAreTrusted()
    {
        using var mint = new LocalMint(_cli);
        string token = mint.Root().Token;

        // The provider's JWKS holds its ID-token keys, not this issuer's: fetched and parsed, the kid is not among them.
        var result = await _cli.RunAsync("verify", token, "--aud", AudA, "--jwks", Provider.Issuer + "/jwks");

        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith("verification failed: KeyNotFound: ", result.Stderr);
        Assert.True(Provider.JwksRequests > 0);
    }

    [Fact]
    public async Task Verify_JwksUrlUnreachable_IsAJwksError_WithinSeconds()
    {
        using var mint = new LocalMint(_cli);
        string closed = $"http://127.0.0.1:{ClosedLoopbackPort()}/jwks";

        var clock = System.Diagnostics.Stopwatch.StartNew();
        var result = await _cli.RunAsync("verify", mint.Root().Token, "--aud", AudA, "--jwks", closed);
        clock.Stop();

        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.StartsWith("verification failed: JwksError: ", result.Stderr);
        Assert.Contains(closed, result.Stderr);
        Assert.Equal("", result.Stdout);
        Assert.DoesNotContain("   at ", result.Stderr);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(8), $"took {clock.Elapsed}");
    }

    [Fact]
    public async Task Verify_JwksUrlThatNeverAnswers_TimesOut_AsAJwksError()
    {
        // The resolver's per-attempt timeout (2 s, one retry) bounds the wait; the server would answer after a minute.
        await using var slow = await FaultyHttpServer.StartNewAsync();
        slow.JwksBehavior = FaultyHttpBehavior.Slow;
        slow.SlowDelay = TimeSpan.FromMinutes(1);
        using var mint = new LocalMint(_cli);

        var clock = System.Diagnostics.Stopwatch.StartNew();
        var result = await _cli.RunAsync("verify", mint.Root().Token, "--aud", AudA, "--jwks", slow.JwksUri.AbsoluteUri);
        clock.Stop();

        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.StartsWith("verification failed: JwksError: ", result.Stderr);
        Assert.True(slow.JwksRequests >= 1);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(15), $"took {clock.Elapsed}");
    }

    [Fact]
    public async Task KeysRotate_OldPassportStillVerifies_NewOnesUseTheNewKey()
    {
        string idToken = Provider.MintIdToken();
        var before = await _cli.RunAsync("issue", "--id-token", idToken, "--agent-id", "a", "--agent-model", "m", "--aud", AudA);

        var rotate = await _cli.RunAsync("keys", "rotate", "--now");
        var after = await _cli.RunAsync("issue", "--id-token", idToken, "--agent-id", "a", "--agent-model", "m", "--aud", AudA);

        Assert.True(rotate.ExitCode == 0, rotate.ToString());
        Assert.Contains("2 public keys", rotate.Stdout);
        Assert.Equal(0, (await _cli.RunAsync("verify", before.Out, "--aud", AudA)).ExitCode);
        Assert.Equal(0, (await _cli.RunAsync("verify", after.Out, "--aud", AudA)).ExitCode);
        Assert.NotEqual(Kid(before.Out), Kid(after.Out));
        var jwks = Jwks.Import((await _cli.RunAsync("keys", "jwks")).Stdout);
        Assert.Equal([Kid(after.Out), Kid(before.Out)], jwks.Select(k => k.KeyId));
    }

    [Fact]
    public async Task KeysRotate_ByDefault_PublishesTheNextKeyFirst_TheOldKeyKeepsSigning_ASecondRotateWaits()
    {
        string idToken = Provider.MintIdToken();
        var before = await _cli.RunAsync("issue", "--id-token", idToken, "--agent-id", "a", "--agent-model", "m", "--aud", AudA);

        var rotate = await _cli.RunAsync("keys", "rotate");
        var after = await _cli.RunAsync("issue", "--id-token", idToken, "--agent-id", "a", "--agent-model", "m", "--aud", AudA);

        Assert.True(rotate.ExitCode == 0, rotate.ToString());
        Assert.StartsWith("scheduled: new signing key ", rotate.Stdout, StringComparison.Ordinal);
        Assert.Contains("(in 60 s)", rotate.Stdout, StringComparison.Ordinal);
        Assert.Equal(Kid(before.Out), Kid(after.Out)); // not signing yet
        var jwks = Jwks.Import((await _cli.RunAsync("keys", "jwks")).Stdout);
        Assert.Equal(2, jwks.Count); // but already published
        Assert.Contains(jwks, k => k.KeyId != Kid(before.Out) && rotate.Stdout.Contains(k.KeyId, StringComparison.Ordinal));

        var again = await _cli.RunAsync("keys", "rotate");
        Assert.True(again.ExitCode == 1, again.ToString());
        Assert.Contains("already pending", again.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", again.Stderr, StringComparison.Ordinal);
    }

    // A loopback port nothing listens on: bound by the OS, then released.
    private static int ClosedLoopbackPort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }

    public void Dispose() => _cli.Dispose();

    private static string Kid(string token)
    {
        using var header = JsonDocument.Parse(System.Buffers.Text.Base64Url.DecodeFromChars(token.Split('.')[0]));
        return header.RootElement.GetProperty("kid").GetString()!;
    }
}
