using System.Text.Json;
using AgentPassport.Cli.Tests.Support;

namespace AgentPassport.Cli.Tests.Commands;

/// <summary>Argument constraints in the CLI: <c>--constraints</c>, <c>--constrain</c>, <c>verify --op --args</c>, <c>inspect</c>.</summary>
public sealed class ConstraintCommandTests : IDisposable
{
    private const string AudB = "https://service-b.example.com/";
    private readonly CliSandbox _cli = new();
    private readonly LocalMint _mint;

    public ConstraintCommandTests() => _mint = new LocalMint(_cli);

    [Fact]
    public async Task Constrain_CompactRules_BecomeTheClaim()
    {
        var bob = await DelegateAsync(
            "--constrain", "flights:book amount <= 500", "--constrain", "flights:book amount >= 1", "--constrain", "flights:book dest in JFK, LGA",
            "--constrain", "flights:book class = economy", "--constrain", "flights:book refundable = false", "--constrain", "flights:book code = \"500\"",
            "--constrain", "flights:book ref prefix BK-", "--constrain", "flights:book note maxlen 40", "--constrain", "flights:book pnr regex [A-Z]{6}");
        Assert.True(bob.ExitCode == 0, bob.ToString());
        Assert.Equal(
            """{"flights:book":{"amount":{"min":1,"max":500},"dest":{"in":["JFK","LGA"]},"class":{"eq":"economy"},"refundable":{"eq":false},"code":{"eq":"500"},"ref":{"prefix":"BK-"},"note":{"maxLength":40},"pnr":{"regex":"[A-Z]{6}"}}}""",
            PassportReader.DecodeUnverified(bob.Out).Constraints.ToJson());
    }

    [Fact]
    public async Task Constraints_JsonAndFile_AreRead()
    {
        const string json = """{"flights:book":{"amount":{"max":500}}}""";
        var inline = await DelegateAsync("--constraints", json);
        Assert.True(inline.ExitCode == 0, inline.ToString());
        Assert.Equal(json, PassportReader.DecodeUnverified(inline.Out).Constraints.ToJson());

        var fromFile = await DelegateAsync("--constraints", "@" + _cli.WriteFile("c.json", json), "--constrain", "flights:book dest = JFK");
        Assert.True(fromFile.ExitCode == 0, fromFile.ToString());
        Assert.Equal("""{"flights:book":{"amount":{"max":500},"dest":{"eq":"JFK"}}}""", PassportReader.DecodeUnverified(fromFile.Out).Constraints.ToJson());
    }

    [Theory]
    [InlineData("--constrain", "flights:book amount < 500", "unknown operator '<'")]
    [InlineData("--constrain", "flights:book amount <=", "expected 'SCOPE ARG OP VALUE'")]
    [InlineData("--constrain", "flights:book amount <= lots", "not a number")]
    [InlineData("--constrain", "flights:book amount <= 1e400", "not a number")]
    [InlineData("--constrain", "flights:book note maxlen -1", "maxlen needs a non-negative integer")]
    [InlineData("--constrain", "flights:book code regex (a)\\1", "linear-time engine")]
    [InlineData("--constraints", """{"flights:book":{"amount":{"lt":5}}}""", "unknown constraint kind 'lt'")]
    [InlineData("--constraints", """{"flights:book":{"amount":{"min":5,"max":1}}}""", "'min' is above its 'max'")]
    [InlineData("--constraints", "{", "not valid JSON")]
    [InlineData("--constraints", "@missing.json", "no such file")]
    public async Task BadConstraints_AreUsageErrors(string option, string value, string expected)
    {
        var result = await DelegateAsync(option, value);
        Assert.Equal(2, result.ExitCode);
        Assert.Contains(expected, result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SecondConstraintOnOneArgument_IsAUsageError()
    {
        var result = await DelegateAsync("--constrain", "flights:book dest = JFK", "--constrain", "flights:book dest = LGA");
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("already constrained", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ConstraintOnAScopeNotGranted_IsRefused()
    {
        var result = await DelegateAsync("--constrain", "hotels:book nights <= 3");
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("IssuanceRefused", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Widening_IsRefusedWithScopeArgumentAndConstraint()
    {
        var bob = await DelegateAsync("--constrain", "flights:book amount <= 500");
        string root = _cli.WriteFile("root.jwt", _root!);
        var carol = await _cli.RunAsync("delegate", bob.Out, "--chain", root, "--agent-id", "agent:carol", "--agent-model", "m",
            "--aud", AudB, "--tool-scope", "flights:book", "--constrain", "flights:book amount <= 900");
        Assert.Equal(1, carol.ExitCode);
        Assert.Contains("ScopeAttenuation", carol.Stderr, StringComparison.Ordinal);
        Assert.Contains("'amount'", carol.Stderr, StringComparison.Ordinal);
        Assert.Contains("'max'", carol.Stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"amount":450,"dest":"JFK"}""", 0, "verified")]
    [InlineData("""{"amount":900,"dest":"JFK"}""", 1, "ConstraintViolation: argument 'amount' = 900 violates the 'max' constraint")]
    [InlineData("""{"amount":450,"dest":"EWR"}""", 1, "argument 'dest' = \"EWR\" violates the 'in' constraint")]
    [InlineData("""{"amount":"450","dest":"JFK"}""", 1, "ConstraintViolation")]
    [InlineData("""{"dest":"JFK"}""", 1, "argument 'amount' (missing)")]
    public async Task Verify_OpArgs_ChecksTheConstraints(string args, int exitCode, string expected)
    {
        var bob = await DelegateAsync("--constrain", "flights:book amount <= 500", "--constrain", "flights:book dest in JFK,LGA");
        string root = _cli.WriteFile("root.jwt", _root!);
        var result = await _cli.RunAsync("verify", bob.Out, "--aud", AudB, "--chain", root, "--op", "flights:book", "--args", args);
        Assert.True(result.ExitCode == exitCode, result.ToString());
        Assert.Contains(expected, exitCode == 0 ? result.Stdout : result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_OpWithoutArgs_OnAConstrainedScope_IsRefused_OnAnUngrantedOne_IsScopeViolation()
    {
        var bob = await DelegateAsync("--constrain", "flights:book amount <= 500");
        string root = _cli.WriteFile("root.jwt", _root!);
        var noArgs = await _cli.RunAsync("verify", bob.Out, "--aud", AudB, "--chain", root, "--op", "flights:book");
        Assert.Equal(1, noArgs.ExitCode);
        Assert.Contains("ConstraintViolation", noArgs.Stderr, StringComparison.Ordinal);
        var other = await _cli.RunAsync("verify", bob.Out, "--aud", AudB, "--chain", root, "--op", "hotels:book", "--args", "{}");
        Assert.Contains("ScopeViolation", other.Stderr, StringComparison.Ordinal);
        var argsOnly = await _cli.RunAsync("verify", bob.Out, "--aud", AudB, "--chain", root, "--args", "{}");
        Assert.Equal(2, argsOnly.ExitCode);
        var notObject = await _cli.RunAsync("verify", bob.Out, "--aud", AudB, "--chain", root, "--op", "flights:book", "--args", "[1]");
        Assert.Equal(2, notObject.ExitCode);
    }

    [Fact]
    public async Task Inspect_ShowsConstraints_InJsonAndTheTree_Escaped()
    {
        var bob = await DelegateAsync("--constrain", "flights:book dest = \"J\\u001b[31mFK\"");
        Assert.True(bob.ExitCode == 0, bob.ToString());
        string root = _cli.WriteFile("root.jwt", _root!);

        var json = await _cli.RunAsync("inspect", bob.Out, "--format", "json");
        using var doc = JsonDocument.Parse(json.Stdout);
        Assert.Equal("J\u001b[31mFK", doc.RootElement.GetProperty("constraints").GetProperty("flights:book").GetProperty("dest").GetProperty("eq").GetString());

        var tree = await _cli.RunAsync("inspect", bob.Out, "--tree", "--chain", root);
        Assert.Contains("constraints={\"flights:book\":{\"dest\":{\"eq\":\"J", tree.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain('\u001b', tree.Stdout);

        var mermaid = await _cli.RunAsync("inspect", bob.Out, "--format", "mermaid", "--chain", root);
        Assert.Contains("<br/>constraints: {#quot;flights:book#quot;", mermaid.Stdout, StringComparison.Ordinal);
    }

    public void Dispose()
    {
        _mint.Dispose();
        _cli.Dispose();
    }

    private string? _root;

    private Task<CliResult> DelegateAsync(params string[] extra)
    {
        _root ??= _mint.Root(scopes: ["flights:*", "hotels:*"]).Token;
        return _cli.RunAsync(["delegate", _root, "--agent-id", "agent:bob", "--agent-model", "m", "--aud", AudB, "--tool-scope", "flights:book", .. extra]);
    }
}
