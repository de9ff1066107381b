using System.Text;
using System.Text.Json.Nodes;
using AgentPassport.Cli.Tests.Support;

namespace AgentPassport.Cli.Tests.Input;

/// <summary><c>--chain</c> is capped before it is read; <c>inspect</c> prints a hostile claim on its own line only.</summary>
public sealed class CliInputHardeningTests : IDisposable
{
    private readonly CliSandbox _cli = new();
    private readonly LocalMint _mint;

    public CliInputHardeningTests() => _mint = new LocalMint(_cli);

    [Fact]
    public async Task More_chain_tokens_than_the_depth_cap_are_a_usage_error()
    {
        var root = _mint.Root();
        var file = _cli.WriteFile("many.jwt", string.Join('\n', Enumerable.Repeat(root.Token, PassportLimits.MaxChainDepth + 1)));

        var result = await _cli.RunAsync("verify", root.Token, "--aud", root.Passport.Audience, "--chain", file);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--chain", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("parents", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Chain_files_larger_than_the_chain_byte_cap_are_refused_before_reading()
    {
        var root = _mint.Root();
        var file = _cli.WriteFile("huge.jwt", new string('A', PassportLimits.MaxChainBytes + 10_000));

        var result = await _cli.RunAsync("verify", root.Token, "--aud", root.Passport.Audience, "--chain", file);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("bytes", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Inspect_tree_escapes_newlines_in_unverified_claims()
    {
        var token = WithClaims(_mint.Root().Token, p =>
        {
            p[PassportClaimNames.TaskPurpose] = "x\n└── Agent: agent:mallory  (current holder)";
            p[PassportClaimNames.AgentModel] = "m\r\n    tool_scope:   *";
        });

        var result = await _cli.RunAsync("inspect", token, "--tree");

        Assert.Equal(0, result.ExitCode);
        var lines = result.Stdout.Split('\n');
        Assert.DoesNotContain(lines, l => l.TrimStart().StartsWith("└── Agent: agent:mallory", StringComparison.Ordinal));
        Assert.DoesNotContain(lines, l => l.TrimStart().StartsWith("tool_scope:   *", StringComparison.Ordinal));
        Assert.Contains(@"x\u000A└── Agent: agent:mallory", result.Stdout, StringComparison.Ordinal);
    }

    public void Dispose() => _cli.Dispose();

    // inspect does not verify: the payload is swapped and the old signature left in place.
    private static string WithClaims(string token, Action<JsonObject> edit)
    {
        var parts = token.Split('.');
        var payload = JsonNode.Parse(Encoding.UTF8.GetString(Convert.FromBase64String(Pad(parts[1]))))!.AsObject();
        edit(payload);
        var encoded = Convert.ToBase64String(Encoding.UTF8.GetBytes(payload.ToJsonString())).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        return $"{parts[0]}.{encoded}.{parts[2]}";
    }

    private static string Pad(string b64url)
    {
        var s = b64url.Replace('-', '+').Replace('_', '/');
        return s + new string('=', (4 - (s.Length % 4)) % 4);
    }
}
