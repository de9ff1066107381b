using System.Text.Json;
using AgentPassport.Cli.Tests.Support;

namespace AgentPassport.Cli.Tests.Commands;

/// <summary><c>verify</c> as a process: success output and every error name it can report.</summary>
public sealed class VerifyCommandTests : IDisposable
{
    private const string AudA = "https://service-a.example.com/";
    private readonly CliSandbox _cli = new();
    private readonly LocalMint _mint;

    public VerifyCommandTests() => _mint = new LocalMint(_cli);

    [Fact]
    public async Task Verify_ValidPassport_PrintsVerifiedAndTheClaimsAsJson()
    {
        var root = _mint.Root();

        var result = await _cli.RunAsync("verify", root.Token, "--aud", AudA, "--require-ial", "2", "--required-scope", "flights:book");

        Assert.Equal(0, result.ExitCode);
        var lines = result.Stdout.Split('\n', 2);
        Assert.Equal("verified", lines[0]);
        using var json = JsonDocument.Parse(lines[1]);
        var c = json.RootElement;
        Assert.Equal(CliSandbox.LocalIssuer, c.GetProperty("iss").GetString());
        Assert.Equal(LocalMint.Principal, c.GetProperty("sub").GetString());
        Assert.Equal(AudA, c.GetProperty("aud").GetString());
        Assert.Equal(root.Passport.TokenId, c.GetProperty("jti").GetString());
        Assert.Equal(root.Passport.ExpiresAt.ToUnixTimeSeconds(), c.GetProperty("exp").GetInt64());
        Assert.Equal(2, c.GetProperty("ial").GetInt32());
        Assert.Equal("agent:alice", c.GetProperty("agent_id").GetString());
        Assert.Equal(["flights:*", "hotels:*"], c.GetProperty("tool_scope").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal("plan a trip", c.GetProperty("task_purpose").GetString());
        Assert.Equal(JsonValueKind.Null, c.GetProperty("parent_jti").ValueKind);
        Assert.Equal(0, c.GetProperty("chain_depth").GetInt32());
        Assert.Equal("", result.Stderr);
    }

    [Fact]
    public async Task Verify_TokenOnStdin_WithSurroundingWhitespace_IsVerified()
    {
        var result = await _cli.RunWithInputAsync("\n  " + _mint.Root().Token + "  \n\n", "verify", "-", "--aud", AudA);

        Assert.Equal(0, result.ExitCode);
        Assert.StartsWith("verified\n", result.Stdout);
    }

    [Fact]
    public async Task Verify_OtherAudience_AudienceMismatch() =>
        await AssertFailsAsync("AudienceMismatch", _mint.Root().Token, "--aud", "https://other.example.com/");

    [Fact]
    public async Task Verify_Ial1Passport_UnderIal2Floor_IALInsufficient() =>
        await AssertFailsAsync("IALInsufficient", _mint.Root(level: 1).Token, "--aud", AudA, "--require-ial", "2");

    [Fact]
    public async Task Verify_ScopeOnlyPassport_UnderAalFloor_AALInsufficient() =>
        await AssertFailsAsync("AALInsufficient", _mint.Root(level: null).Token, "--aud", AudA, "--require-aal", "1");

    [Fact]
    public async Task Verify_Ial1Passport_UnderFal2Floor_FALInsufficient() =>
        await AssertFailsAsync("FALInsufficient", _mint.Root(level: 1).Token, "--aud", AudA, "--require-fal", "2");

    [Fact]
    public async Task Verify_ScopeNotGranted_ScopeViolation() =>
        await AssertFailsAsync("ScopeViolation", _mint.Root().Token, "--aud", AudA, "--required-scope", "email:send");

    [Fact]
    public async Task Verify_ChildWithoutItsChain_ChainBroken()
    {
        var root = _mint.Root();
        var parent = await new PassportVerifier(_mint.Keys, _mint.Time).VerifyAsync(root.Token, new VerificationPolicy(CliSandbox.LocalIssuer, AudA));
        var child = _mint.Issuer.Delegate(parent, new DelegationRequest { AgentId = "agent:bob", AgentModel = "m", Audience = "https://b.example/", ToolScope = ["flights:book"] });

        var result = await AssertFailsAsync("ChainBroken", child.Token, "--aud", "https://b.example/");

        Assert.Contains("MissingChain", result.Stderr);
    }

    [Fact]
    public async Task Verify_PassportMintedTwoDaysAgo_Expired()
    {
        using var past = new LocalMint(_cli, TimeProvider.System.GetUtcNow().AddDays(-2));
        string token = past.Root(ttl: TimeSpan.FromHours(1)).Token;
        string file = _cli.WriteFile("expired.jwt", token);

        var result = await _cli.ShellAsync($"$AP verify --aud {AudA} < {file}");

        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith("verification failed: Expired: ", result.Stderr);
    }

    [Fact]
    public async Task Verify_PassportMintedAnHourAhead_NotYetValid()
    {
        using var future = new LocalMint(_cli, TimeProvider.System.GetUtcNow().AddHours(1));

        await AssertFailsAsync("NotYetValid", future.Root().Token, "--aud", AudA);
    }

    [Fact]
    public async Task Verify_TamperedSignature_InvalidSignature()
    {
        string token = _mint.Root().Token;
        int sig = token.LastIndexOf('.') + 1;
        string tampered = token[..sig] + (token[sig] == 'A' ? 'B' : 'A') + token[(sig + 1)..];

        await AssertFailsAsync("InvalidSignature", tampered, "--aud", AudA);
    }

    [Fact]
    public async Task Verify_SignedByAnUnknownKey_KeyNotFound()
    {
        using var stranger = new InMemoryPassportKeyStore();
        var issuer = new PassportIssuer(new PassportIssuerOptions { IssuerUrl = CliSandbox.LocalIssuer, KeyStore = stranger });
        string token = issuer.Issue(new RootPassportRequest { Identity = LocalMint.Identity(), AgentId = "a", AgentModel = "m", Audience = AudA }).Token;

        await AssertFailsAsync("KeyNotFound", token, "--aud", AudA);
    }

    [Fact]
    public async Task Verify_Rs256Passport_UnderTheDefaultEs256AllowList_AlgorithmNotAllowed()
    {
        using var rsa = new InMemoryPassportKeyStore(PassportAlgorithms.RS256);
        var issuer = new PassportIssuer(new PassportIssuerOptions { IssuerUrl = CliSandbox.LocalIssuer, KeyStore = rsa });
        string token = issuer.Issue(new RootPassportRequest { Identity = LocalMint.Identity(), AgentId = "a", AgentModel = "m", Audience = AudA }).Token;

        await AssertFailsAsync("AlgorithmNotAllowed", token, "--aud", AudA);
    }

    [Fact]
    public async Task Verify_NotAJws_InvalidToken() =>
        await AssertFailsAsync("InvalidToken", "not-a-token", "--aud", AudA);

    [Fact]
    public async Task Verify_SignedTokenWithAnOutOfRangeIal_MalformedClaims() =>
        await AssertFailsAsync("MalformedClaims", _mint.SignRaw(_mint.RootPayload(c => c["ial"] = 7)), "--aud", AudA);

    [Fact]
    public async Task Verify_IssuerNotTrusted_UntrustedIssuer() =>
        await AssertFailsAsync("UntrustedIssuer", _mint.Root().Token, "--aud", AudA, "--issuer", "https://other-issuer.example");

    [Fact]
    public async Task Verify_TrustedIssuerFromEnvironment_IsUsedWhenNoIssuerFlag()
    {
        _cli.Environment["AGENT_PASSPORT_ISSUER"] = "https://elsewhere.example";

        await AssertFailsAsync("UntrustedIssuer", _mint.Root().Token, "--aud", AudA);
    }

    [Fact]
    public async Task Verify_WildcardPassport_IsRefusedUnlessAllowed()
    {
        string token = _mint.Root(scopes: ["*"]).Token;

        await AssertFailsAsync("WildcardScopeNotAllowed", token, "--aud", AudA);
        var allowed = await _cli.RunAsync("verify", token, "--aud", AudA, "--allow-wildcard");
        Assert.Equal(0, allowed.ExitCode);
    }

    [Fact]
    public async Task Verify_NoLocalKeysAndNoJwks_IsAConfigurationError()
    {
        using var empty = new CliSandbox();

        var result = await empty.RunAsync("verify", _mint.Root().Token, "--aud", AudA);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--jwks", result.Stderr);
        Assert.False(FilePassportKeyStore.Exists(empty.KeysDir));
    }

    public void Dispose()
    {
        _mint.Dispose();
        _cli.Dispose();
    }

    [Fact]
    public async Task KeysRemove_ACompromisedKey_ItsPassportsAreKeyNotFound_OthersStillVerify()
    {
        // Issue 13 item 8: the response to a key compromise is `keys rotate` then `keys remove KID`.
        var signedByOldKey = _mint.Root().Token;
        string oldKid = _mint.Keys.CurrentSigningKey.KeyId;
        Assert.Equal(0, (await _cli.RunAsync("keys", "rotate", "--now")).ExitCode);
        Assert.Equal(0, (await _cli.RunAsync("verify", signedByOldKey, "--aud", AudA)).ExitCode);

        var remove = await _cli.RunAsync("keys", "remove", oldKid);

        Assert.True(remove.ExitCode == 0, remove.ToString());
        Assert.Contains(oldKid, remove.Stdout, StringComparison.Ordinal);
        var refused = await AssertFailsAsync("KeyNotFound", signedByOldKey, "--aud", AudA);
        Assert.Contains(oldKid, refused.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain(oldKid, (await _cli.RunAsync("keys", "jwks")).Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task KeysRemove_TheCurrentSigningKey_IsRefusedWithWhatToDo()
    {
        _ = _mint.Root();

        var result = await _cli.RunAsync("keys", "remove", _mint.Keys.CurrentSigningKey.KeyId);

        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.Contains("rotate first", result.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.Stderr);
    }

    private async Task<CliResult> AssertFailsAsync(string errorName, string token, params string[] flags)
    {
        var result = await _cli.RunAsync(["verify", token, .. flags]);
        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.StartsWith($"verification failed: {errorName}: ", result.Stderr);
        Assert.Equal("", result.Stdout);
        Assert.DoesNotContain("   at ", result.Stderr);
        return result;
    }
}
