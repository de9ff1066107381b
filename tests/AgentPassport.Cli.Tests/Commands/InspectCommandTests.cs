using System.Text.Json;
using AgentPassport.Cli.Tests.Support;

namespace AgentPassport.Cli.Tests.Commands;

/// <summary><c>inspect</c> as a process: the payload, the tree (with and without the chain) and Mermaid.</summary>
public sealed class InspectCommandTests : IDisposable
{
    private readonly CliSandbox _cli = new();
    private readonly LocalMint _mint;

    public InspectCommandTests() => _mint = new LocalMint(_cli);

    [Fact]
    public async Task Inspect_Default_PrintsTheClaimsUnderTheirShortNames()
    {
        var root = _mint.Root();

        var result = await _cli.RunWithInputAsync(root.Token + "\n", "inspect");

        Assert.Equal(0, result.ExitCode);
        using var json = JsonDocument.Parse(result.Stdout);
        Assert.Equal(root.Passport.TokenId, json.RootElement.GetProperty("jti").GetString());
        Assert.Equal("agent:alice", json.RootElement.GetProperty("agent_id").GetString());
        Assert.Equal(["flights:*", "hotels:*"], json.RootElement.GetProperty("tool_scope").EnumerateArray().Select(e => e.GetString()));
        Assert.DoesNotContain(PassportClaimNames.AgentClaimPrefix, result.Stdout);
    }

    [Fact]
    public async Task Inspect_Raw_PrintsThePayloadAsSigned_WithTheClaimUris()
    {
        var root = _mint.Root();

        var result = await _cli.RunWithInputAsync(root.Token, "inspect", "--format", "raw");

        Assert.Equal(0, result.ExitCode);
        using var json = JsonDocument.Parse(result.Stdout);
        Assert.Equal("agent:alice", json.RootElement.GetProperty("act").GetProperty("sub").GetString());
        Assert.Equal("agent:alice", json.RootElement.GetProperty(PassportClaimNames.AgentId).GetString());
    }

    [Fact]
    public async Task Inspect_DoesNotVerify_ATokenFromAnUnknownIssuerStillDecodes()
    {
        using var stranger = new InMemoryPassportKeyStore();
        var issuer = new PassportIssuer(new PassportIssuerOptions { IssuerUrl = "https://stranger.example", KeyStore = stranger });
        string token = issuer.Issue(new RootPassportRequest { Identity = LocalMint.Identity(), AgentId = "a", AgentModel = "m", Audience = "x" }).Token;

        var result = await _cli.RunAsync("inspect", token, "--tree");

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("\niss:         https://stranger.example\n", result.Stdout);
    }

    [Fact]
    public async Task Inspect_Tree_IsTheLibrarysTree_AncestorsFromAct_ThenTheHoldersDetails()
    {
        var (root, bob, carol) = await ChainAsync();

        var result = await _cli.RunAsync("inspect", carol.Token, "--tree");

        Assert.Equal(0, result.ExitCode);
        string exp = Utc(carol.Passport.ExpiresAt);
        Assert.Equal(
            $"""
            principal user-alice-pairwise (IAL 2)
            └── agent:alice (Passport not given)
                └── agent:bob (Passport not given)
                    └── agent:carol [flights:book] aud=https://flights-mcp.example.com/ exp={exp} purpose="book SFO-JFK"

            agent_id:    agent:carol
            agent_model: model-c
            jti:         {carol.Passport.TokenId}
            iss:         {CliSandbox.LocalIssuer}
            aud:         https://flights-mcp.example.com/
            levels:      IAL=2 AAL=2 FAL=2
            iat:         {Utc(carol.Passport.IssuedAt)}
            nbf:         {Utc(carol.Passport.NotBefore)}
            exp:         {exp}

            """,
            result.Stdout);
        Assert.DoesNotContain(root.Passport.TokenId, result.Stdout);
        Assert.Equal("", result.Stderr);
    }

    [Fact]
    public async Task Inspect_TreeWithChain_IsExactlyTheLibrarysDelegationTree()
    {
        var (root, bob, carol) = await ChainAsync();

        var result = await _cli.RunAsync("inspect", carol.Token, "--format", "text",
            "--chain", _cli.WriteFile("root.jwt", root.Token), "--chain", _cli.WriteFile("bob.jwt", bob.Token));

        Assert.Equal(0, result.ExitCode);
        Assert.StartsWith(LibraryTree(root, bob, carol).ToText() + "\n", result.Stdout);
        Assert.Contains("└── agent:alice [flights:*, hotels:*] aud=https://service-a.example.com/ exp=", result.Stdout);
        Assert.Contains("purpose=\"plan a trip\"", result.Stdout);
    }

    [Fact]
    public async Task Inspect_Mermaid_IsTheLibrarysMermaid_WithPurpose()
    {
        var (root, bob, carol) = await ChainAsync();

        var result = await _cli.RunAsync("inspect", carol.Token, "--format", "mermaid", "--chain", _cli.WriteFile("chain.txt", root.Token + "\n" + bob.Token));

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(LibraryTree(root, bob, carol).ToMermaid(), result.Stdout);
        Assert.Contains("<br/>purpose: book SFO-JFK\"]", result.Stdout);
        Assert.Contains("  n0 --> n1\n", result.Stdout);
    }

    [Fact]
    public async Task Inspect_JsonWithChain_PrintsTheClaimsRootFirst()
    {
        var (root, bob, carol) = await ChainAsync();

        var result = await _cli.RunAsync("inspect", carol.Token, "--chain", _cli.WriteFile("chain.txt", root.Token + " " + bob.Token));

        Assert.Equal(0, result.ExitCode);
        using var json = JsonDocument.Parse(result.Stdout);
        Assert.Equal(
            [root.Passport.TokenId, bob.Passport.TokenId, carol.Passport.TokenId],
            json.RootElement.EnumerateArray().Select(p => p.GetProperty("jti").GetString()));
    }

    [Fact]
    public async Task Inspect_ExpiredPassport_IsMarked_InTheTreeAndOnStderr()
    {
        using var past = new LocalMint(_cli, DateTimeOffset.UtcNow.AddHours(-2));
        var old = past.Root(ttl: TimeSpan.FromMinutes(10));

        var tree = await _cli.RunAsync("inspect", old.Token, "--tree");
        var json = await _cli.RunAsync("inspect", old.Token);

        Assert.Equal(0, tree.ExitCode);
        Assert.Contains($"\nexp:         {Utc(old.Passport.ExpiresAt)}  (EXPIRED)\n", tree.Stdout);
        Assert.Equal($"note: agent:alice's Passport EXPIRED at {Utc(old.Passport.ExpiresAt)}.\n", tree.Stderr);
        Assert.Equal(tree.Stderr, json.Stderr);
    }

    [Fact]
    public async Task Inspect_NotYetValidPassport_IsMarked()
    {
        using var future = new LocalMint(_cli, DateTimeOffset.UtcNow.AddHours(2));
        var early = future.Root();

        var result = await _cli.RunAsync("inspect", early.Token, "--tree");

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("  (NOT YET VALID)\n", result.Stdout);
        Assert.Contains("note: agent:alice's Passport is NOT YET VALID (nbf ", result.Stderr);
    }

    [Fact]
    public async Task Inspect_Garbage_CouldNotDecode_Exit1()
    {
        var result = await _cli.RunAsync("inspect", "a.b");

        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith("could not decode token: InvalidToken: ", result.Stderr);
    }

    public void Dispose()
    {
        _mint.Dispose();
        _cli.Dispose();
    }

    private static string Utc(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);

    // The library's own tree of the same chain, built from the mint events a delegator would have recorded.
    private static DelegationTree LibraryTree(params IssuedPassport[] chain)
    {
        var audit = chain.Select(i => new PassportAuditEvent
        {
            Kind = PassportAuditEventKind.Minted,
            Timestamp = i.Passport.IssuedAt,
            AgentId = i.Passport.AgentId,
            Principal = i.Passport.Subject,
            Ial = i.Passport.Ial,
            TokenId = i.Passport.TokenId,
            ParentTokenId = i.Passport.ParentJti,
            Scopes = i.Passport.ToolScope.ToStrings(),
            Audience = i.Passport.Audience,
            ExpiresAt = i.Passport.ExpiresAt,
            TaskPurpose = i.Passport.TaskPurpose,
        });
        return DelegationTree.Build(audit);
    }

    private async Task<(IssuedPassport Root, IssuedPassport Bob, IssuedPassport Carol)> ChainAsync()
    {
        var verifier = new PassportVerifier(_mint.Keys, _mint.Time);
        var root = _mint.Root();
        var bob = _mint.Issuer.Delegate(await verifier.VerifyAsync(root.Token, new VerificationPolicy(CliSandbox.LocalIssuer, root.Passport.Audience)),
            new DelegationRequest { AgentId = "agent:bob", AgentModel = "model-b", Audience = "https://b.example/", ToolScope = ["flights:*"] });
        var carol = _mint.Issuer.Delegate(await verifier.VerifyAsync(bob.Token, new VerificationPolicy(CliSandbox.LocalIssuer, "https://b.example/"), [root.Token]),
            new DelegationRequest { AgentId = "agent:carol", AgentModel = "model-c", Audience = "https://flights-mcp.example.com/", ToolScope = ["flights:book"], TaskPurpose = "book SFO-JFK" });
        return (root, bob, carol);
    }
}
