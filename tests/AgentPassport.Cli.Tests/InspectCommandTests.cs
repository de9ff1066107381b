using System.Text.Json;
using AgentPassport.Cli.Tests.Support;

namespace AgentPassport.Cli.Tests;

/// <summary><c>inspect</c> as a process: the payload, the tree (with and without the chain) and Mermaid.</summary>
public sealed class InspectCommandTests : IDisposable
{
    private readonly CliSandbox _cli = new();
    private readonly LocalMint _mint;

    public InspectCommandTests() => _mint = new LocalMint(_cli);

    [Fact]
    public async Task Inspect_Default_PrintsThePayloadAsIndentedJson()
    {
        var root = _mint.Root();

        var result = await _cli.RunWithInputAsync(root.Token + "\n", "inspect");

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("\n  \"iss\": ", result.Stdout);
        using var json = JsonDocument.Parse(result.Stdout);
        Assert.Equal(root.Passport.TokenId, json.RootElement.GetProperty("jti").GetString());
        Assert.Equal("agent:alice", json.RootElement.GetProperty("act").GetProperty("sub").GetString());
    }

    [Fact]
    public async Task Inspect_DoesNotVerify_ATokenFromAnUnknownIssuerStillDecodes()
    {
        using var stranger = new InMemoryPassportKeyStore();
        var issuer = new PassportIssuer(new PassportIssuerOptions { IssuerUrl = "https://stranger.example", KeyStore = stranger });
        string token = issuer.Issue(new RootPassportRequest { Identity = LocalMint.Identity(), AgentId = "a", AgentModel = "m", Audience = "x" }).Token;

        var result = await _cli.RunAsync("inspect", token, "--tree");

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("Issuer:     https://stranger.example", result.Stdout);
    }

    [Fact]
    public async Task Inspect_Tree_ShowsPrincipalLevelsActorsHolderDetailsAndFooter()
    {
        var (root, bob, carol) = await ChainAsync();

        var result = await _cli.RunAsync("inspect", carol.Token, "--tree");

        Assert.Equal(0, result.ExitCode);
        string[] lines = result.Stdout.Split('\n');
        Assert.Equal("Principal: user-alice-pairwise", lines[0]);
        Assert.Equal("  [IAL=2 AAL=2 FAL=2]", lines[1]);
        Assert.Equal("└── Agent: agent:alice  (original delegate)", lines[2]);
        Assert.Equal("    └── Agent: agent:bob", lines[3]);
        Assert.Equal("        └── Agent: agent:carol  (current holder)", lines[4]);
        Assert.Equal("            model:        model-c", lines[5]);
        Assert.Equal("            tool_scope:   flights:book", lines[6]);
        Assert.Equal("            task_purpose: book SFO-JFK", lines[7]);
        Assert.Equal($"            parent_jti:   {bob.Passport.TokenId}", lines[8]);
        Assert.Equal("", lines[9]);
        Assert.Equal($"Token jti:  {carol.Passport.TokenId}", lines[10]);
        Assert.Equal($"Issuer:     {CliSandbox.LocalIssuer}", lines[11]);
        Assert.Equal("Audience:   https://flights-mcp.example.com/", lines[12]);
        Assert.Matches(@"^Issued at:  \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$", lines[13]);
        Assert.StartsWith("Not before: ", lines[14]);
        Assert.StartsWith("Expires:    ", lines[15]);
        Assert.DoesNotContain(root.Passport.TokenId, result.Stdout);
    }

    [Fact]
    public async Task Inspect_TreeWithChain_ShowsEveryActorsPassport()
    {
        var (root, bob, carol) = await ChainAsync();

        var result = await _cli.RunAsync("inspect", carol.Token, "--format", "text",
            "--chain", _cli.WriteFile("root.jwt", root.Token), "--chain", _cli.WriteFile("bob.jwt", bob.Token));

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("    model:        model-a\n", result.Stdout);
        Assert.Contains("    tool_scope:   flights:*, hotels:*\n", result.Stdout);
        Assert.Contains($"    jti:          {root.Passport.TokenId}\n", result.Stdout);
        Assert.Contains("        model:        model-b\n", result.Stdout);
        Assert.Contains($"        jti:          {bob.Passport.TokenId}\n", result.Stdout);
        Assert.Contains("            model:        model-c\n", result.Stdout);
    }

    [Fact]
    public async Task Inspect_Mermaid_DrawsPrincipalToHolder()
    {
        var (root, bob, carol) = await ChainAsync();

        var result = await _cli.RunAsync("inspect", carol.Token, "--format", "mermaid", "--chain", _cli.WriteFile("chain.txt", root.Token + "\n" + bob.Token));

        Assert.Equal(0, result.ExitCode);
        string[] lines = result.Stdout.TrimEnd().Split('\n');
        Assert.Equal("flowchart TD", lines[0]);
        Assert.Equal("    P[\"principal: user-alice-pairwise<br/>IAL=2 AAL=2 FAL=2\"]", lines[1]);
        Assert.Contains("    P -->|authorizes| A0", lines);
        Assert.Contains("    A0 -->|delegates| A1", lines);
        Assert.Contains("    A1 -->|delegates| A2", lines);
        Assert.Contains(lines, l => l.StartsWith("    A1[\"agent:bob<br/>model-b<br/>scope: flights:*", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Inspect_JsonWithChain_PrintsThePayloadsRootFirst()
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
