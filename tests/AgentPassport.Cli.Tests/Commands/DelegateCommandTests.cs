using System.Text.Json;
using AgentPassport.Cli.Tests.Support;

namespace AgentPassport.Cli.Tests.Commands;

/// <summary><c>delegate</c> as a process: from any depth, through a pipe, and refusals.</summary>
public sealed class DelegateCommandTests : IDisposable
{
    private const string AudA = "https://service-a.example.com/";
    private const string AudB = "https://service-b.example.com/";
    private const string Flights = "https://flights-mcp.example.com/";
    private readonly CliSandbox _cli = new();
    private readonly LocalMint _mint;

    public DelegateCommandTests() => _mint = new LocalMint(_cli);

    [Fact]
    public async Task Delegate_TwiceFromARoot_ThenVerifyWithChain_GivesCarolWithTheWholeChain()
    {
        string root = _mint.Root().Token;
        string rootFile = _cli.WriteFile("root.jwt", root);

        var bob = await _cli.RunAsync("delegate", root, "--agent-id", "agent:bob", "--agent-model", "model-b", "--aud", AudB, "--tool-scope", "flights:*");
        Assert.True(bob.ExitCode == 0, bob.ToString());
        string bobFile = _cli.WriteFile("bob.jwt", bob.Out);

        var carol = await _cli.RunAsync("delegate", bob.Out, "--chain", rootFile, "--agent-id", "agent:carol", "--agent-model", "model-c",
            "--aud", Flights, "--tool-scope", "flights:book", "--task-purpose", "book SFO-JFK", "--ttl", "120");
        Assert.True(carol.ExitCode == 0, carol.ToString());

        var verified = await _cli.RunAsync("verify", carol.Out, "--aud", Flights, "--chain", rootFile, "--chain", bobFile,
            "--require-ial", "2", "--required-scope", "flights:book");
        Assert.True(verified.ExitCode == 0, verified.ToString());
        using var json = JsonDocument.Parse(verified.Stdout["verified\n".Length..]);
        var c = json.RootElement;
        Assert.Equal(LocalMint.Principal, c.GetProperty("sub").GetString());
        Assert.Equal("agent:carol", c.GetProperty("agent_id").GetString());
        Assert.Equal(["agent:carol", "agent:bob", "agent:alice"], c.GetProperty("actor_chain").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(2, c.GetProperty("chain_depth").GetInt32());
        Assert.Equal(PassportReader.DecodeUnverified(bob.Out).TokenId, c.GetProperty("parent_jti").GetString());
        Assert.Equal(PassportReader.ComputeParentHash(bob.Out), c.GetProperty("parent_hash").GetString());
        Assert.Equal(2, c.GetProperty("ial").GetInt32());
        Assert.Equal("book SFO-JFK", c.GetProperty("task_purpose").GetString());
        var carolClaims = PassportReader.DecodeUnverified(carol.Out);
        Assert.Equal(TimeSpan.FromSeconds(120), carolClaims.ExpiresAt - carolClaims.IssuedAt);
    }

    [Fact]
    public async Task Delegate_ChainFileHoldingSeveralTokens_IsReadRootFirst()
    {
        string root = _mint.Root().Token;
        var bob = await _cli.RunAsync("delegate", root, "--agent-id", "agent:bob", "--agent-model", "m", "--aud", AudB, "--tool-scope", "flights:*");
        string chain = _cli.WriteFile("chain.txt", root + "\n" + bob.Out + "\n");
        var carol = await _cli.RunAsync("delegate", bob.Out, "--chain", _cli.WriteFile("root.jwt", root), "--agent-id", "agent:carol", "--agent-model", "m", "--aud", Flights, "--tool-scope", "flights:book");

        var verified = await _cli.RunAsync("verify", carol.Out, "--aud", Flights, "--chain", chain);

        Assert.True(verified.ExitCode == 0, verified.ToString());
    }

    [Fact]
    public async Task Delegate_ParentOnStdinThroughAPipe_PrintsTheChild()
    {
        string rootFile = _cli.WriteFile("root.jwt", _mint.Root().Token);

        var result = await _cli.ShellAsync(
            $"cat {rootFile} | $AP delegate --agent-id agent:bob --agent-model m --aud {AudB} --tool-scope flights:book " +
            $"| $AP verify --aud {AudB} --chain {rootFile} --required-scope flights:book");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.StartsWith("verified\n", result.Stdout);
        Assert.Contains("\"agent:bob\"", result.Stdout);
    }

    [Fact]
    public async Task Delegate_ScopeWiderThanTheParent_IsRefusedWithScopeAttenuation()
    {
        var result = await _cli.RunAsync("delegate", _mint.Root().Token, "--agent-id", "agent:bob", "--agent-model", "m", "--aud", AudB, "--tool-scope", "email:send");

        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith("delegation refused: ScopeAttenuation: ", result.Stderr);
        Assert.Contains("email:send", result.Stderr);
        Assert.Equal("", result.Stdout);
    }

    [Fact]
    public async Task Delegate_GrandchildWithoutTheParentsChain_CannotVerifyTheParent()
    {
        string root = _mint.Root().Token;
        var bob = await _cli.RunAsync("delegate", root, "--agent-id", "agent:bob", "--agent-model", "m", "--aud", AudB, "--tool-scope", "flights:*");

        var result = await _cli.RunAsync("delegate", bob.Out, "--agent-id", "agent:carol", "--agent-model", "m", "--aud", Flights);

        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith("could not verify parent token: ChainBroken: ", result.Stderr);
    }

    [Fact]
    public async Task Delegate_ParentFromAnotherIssuer_CannotVerifyTheParent()
    {
        using var other = new CliSandbox();
        using var otherMint = new LocalMint(other);

        var result = await _cli.RunAsync("delegate", otherMint.Root().Token, "--agent-id", "agent:bob", "--agent-model", "m", "--aud", AudB);

        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith("could not verify parent token: KeyNotFound: ", result.Stderr);
    }

    [Fact]
    public async Task Delegate_ExpiredParent_CannotVerifyTheParent()
    {
        using var past = new LocalMint(_cli, TimeProvider.System.GetUtcNow().AddDays(-1));

        var result = await _cli.RunAsync("delegate", past.Root(ttl: TimeSpan.FromMinutes(5)).Token, "--agent-id", "agent:bob", "--agent-model", "m", "--aud", AudB);

        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith("could not verify parent token: Expired: ", result.Stderr);
    }

    [Fact]
    public async Task Delegate_WildcardParent_IsRefusedByDefault_LikeTheCoreDelegator()
    {
        var result = await _cli.RunAsync("delegate", _mint.Root(scopes: ["*"]).Token, "--agent-id", "agent:bob", "--agent-model", "m", "--aud", AudB, "--tool-scope", "calendar:read");

        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith("could not verify parent token: WildcardScopeNotAllowed: ", result.Stderr);
        Assert.Equal("", result.Stdout);
    }

    [Fact]
    public async Task Delegate_WildcardParent_WithAllowWildcard_CanBeNarrowed()
    {
        var result = await _cli.RunAsync("delegate", _mint.Root(scopes: ["*"]).Token, "--allow-wildcard", "--agent-id", "agent:bob", "--agent-model", "m", "--aud", AudB, "--tool-scope", "calendar:read");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(["calendar:read"], PassportReader.DecodeUnverified(result.Out).ToolScope.ToStrings());
    }

    public void Dispose()
    {
        _mint.Dispose();
        _cli.Dispose();
    }
}
