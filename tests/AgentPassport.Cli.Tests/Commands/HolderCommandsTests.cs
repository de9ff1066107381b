using System.Text.Json;
using AgentPassport.Cli.Tests.Support;

namespace AgentPassport.Cli.Tests.Commands;

/// <summary>Holder binding at the CLI (spec v1.1 §11): keys holder-new, issue/delegate --holder-jwk, delegate --proof-key, prove, verify --proof.</summary>
public sealed class HolderCommandsTests : IDisposable
{
    private const string AudA = "https://service-a.example.com/";
    private const string AudB = "https://service-b.example.com/";
    private readonly CliSandbox _cli = new();

    private string Path(string name) => System.IO.Path.Combine(_cli.WorkDir, name);

    private async Task<string> NewKeyAsync(string name)
    {
        var made = await _cli.RunAsync("keys", "holder-new", "--out", Path(name));
        Assert.True(made.ExitCode == 0, made.ToString());
        return made.Out;
    }

    private static string PrivateMember(string keyFile) => JsonDocument.Parse(File.ReadAllText(keyFile)).RootElement.GetProperty("d").GetString()!;

    /// <summary>login --mock, then Alice's root bound to alice.key.</summary>
    private async Task<string> BoundRootAsync()
    {
        Assert.Equal(0, (await _cli.RunAsync("login", "--mock")).ExitCode);
        await NewKeyAsync("alice.key");
        var issued = await _cli.RunAsync("issue", "--agent-id", "agent:alice", "--agent-model", "m", "--aud", AudA, "--tool-scope", "flights:*", "--holder-jwk", Path("alice.key"));
        Assert.True(issued.ExitCode == 0, issued.ToString());
        return issued.Out;
    }

    private Task<CliResult> ProveAsync(string token, string key, string op, string aud = AudA, string? args = null) =>
        args is null
            ? _cli.RunAsync("prove", token, "--key", Path(key), "--aud", aud, "--op", op)
            : _cli.RunAsync("prove", token, "--key", Path(key), "--aud", aud, "--op", op, "--args", args);

    [Fact]
    public async Task HolderNew_WritesAnOwnerOnlyPrivateJwk_PrintsOnlyItsThumbprint_AndNeverOverwrites()
    {
        string thumbprint = await NewKeyAsync("k.json");

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path("k.json")));
        using (var key = PassportHolderKey.FromJwk(File.ReadAllText(Path("k.json"))))
        {
            Assert.Equal(key.Thumbprint, thumbprint);
            Assert.Equal(PassportAlgorithms.ES256, key.Algorithm);
        }

        string before = File.ReadAllText(Path("k.json"));
        var again = await _cli.RunAsync("keys", "holder-new", "--out", Path("k.json"));
        Assert.Equal(2, again.ExitCode);
        Assert.Contains("already exists", again.Stderr);
        Assert.Equal(before, File.ReadAllText(Path("k.json")));
        Assert.DoesNotContain(PrivateMember(Path("k.json")), again.Stdout + again.Stderr);
    }

    [Fact]
    public async Task BoundRoot_VerifiesOnlyWithAProofByItsKey_ForThisOpAndTheseArgs()
    {
        string alice = await BoundRootAsync();
        await NewKeyAsync("thief.key");
        Assert.Equal(PassportHolderKey.ComputeThumbprint(PublicJwk("alice.key")), PassportReader.DecodeUnverified(alice).HolderThumbprint);
        const string Args = """{"route":"SFO-JFK","seats":2}""";
        var proof = await ProveAsync(alice, "alice.key", "flights:book", args: Args);
        Assert.True(proof.ExitCode == 0, proof.ToString());

        // Argument order does not matter: args hashes the RFC 8785 canonical form.
        var ok = await _cli.RunAsync("verify", alice, "--aud", AudA, "--proof", proof.Out, "--op", "flights:book", "--args", """{"seats":2,"route":"SFO-JFK"}""");
        Assert.True(ok.ExitCode == 0, ok.ToString());
        Assert.StartsWith("verified\n", ok.Stdout, StringComparison.Ordinal);

        await AssertRefusedAsync(["verify", alice, "--aud", AudA], "ProofRequired", "AP0042");
        await AssertRefusedAsync(["verify", alice, "--aud", AudA, "--proof", (await ProveAsync(alice, "thief.key", "flights:book")).Out, "--op", "flights:book"], "HolderMismatch", "AP0044");
        await AssertRefusedAsync(["verify", alice, "--aud", AudA, "--proof", proof.Out, "--op", "flights:cancel", "--args", Args], "InvalidProof", "AP0043");
        await AssertRefusedAsync(["verify", alice, "--aud", AudA, "--proof", proof.Out, "--op", "flights:book", "--args", """{"route":"SFO-LAX","seats":2}"""], "InvalidProof", "AP0043");
        await AssertRefusedAsync(["verify", alice, "--aud", AudA, "--proof", (await ProveAsync(alice, "alice.key", "flights:book", aud: AudB)).Out, "--op", "flights:book"], "InvalidProof", "AP0043");
        await AssertRefusedAsync(["verify", alice, "--aud", AudA, "--proof", "not.a.proof", "--op", "flights:book"], "InvalidProof", "AP0043");
    }

    [Fact]
    public async Task BoundParent_DelegatesOnlyWithAProofByItsKey_AndTheChildIsBoundToTheSubAgentsKey()
    {
        string alice = await BoundRootAsync();
        string bobThumbprint = await NewKeyAsync("bob.key");
        string[] request = ["delegate", alice, "--agent-id", "agent:bob", "--agent-model", "m", "--aud", AudB, "--tool-scope", "flights:book"];

        await AssertRefusedAsync([.. request, "--holder-jwk", Path("bob.key")], "ProofRequired", "AP0042", "delegation refused: ");
        await AssertRefusedAsync([.. request, "--holder-jwk", Path("bob.key"), "--proof-key", Path("bob.key")], "HolderMismatch", "AP0044", "delegation refused: ");
        await AssertRefusedAsync([.. request, "--proof-key", Path("alice.key")], "IssuanceRefused", "AP00", "delegation refused: ");

        // The public part is enough to bind: Bob hands over his public JWK only.
        string bobPublic = _cli.WriteFile("bob.pub.json", PublicJwk("bob.key"));
        var bob = await _cli.RunAsync([.. request, "--holder-jwk", bobPublic, "--proof-key", Path("alice.key")]);
        Assert.True(bob.ExitCode == 0, bob.ToString());
        Assert.Equal(bobThumbprint, PassportReader.DecodeUnverified(bob.Out).HolderThumbprint);

        string rootFile = _cli.WriteFile("alice.jwt", alice);
        var proof = await ProveAsync(bob.Out, "bob.key", "flights:book", aud: AudB);
        var ok = await _cli.RunAsync("verify", bob.Out, "--aud", AudB, "--chain", rootFile, "--proof", proof.Out, "--op", "flights:book", "--require-holder-binding");
        Assert.True(ok.ExitCode == 0, ok.ToString());

        // Alice's proof presented with Bob's Passport: signed by another key than Bob's cnf.
        var aliceProof = await ProveAsync(alice, "alice.key", "flights:book", aud: AudB);
        await AssertRefusedAsync(["verify", bob.Out, "--aud", AudB, "--chain", rootFile, "--proof", aliceProof.Out, "--op", "flights:book"], "HolderMismatch", "AP0044");
    }

    [Fact]
    public async Task AnRsaHolderKey_IsRefusedByDefault_AndAcceptedWhenAllowed()
    {
        Assert.Equal(0, (await _cli.RunAsync("login", "--mock")).ExitCode);
        var made = await _cli.RunAsync("keys", "holder-new", "--out", Path("rsa.key"), "--alg", "PS256");
        Assert.True(made.ExitCode == 0, made.ToString());
        var issued = await _cli.RunAsync("issue", "--agent-id", "agent:alice", "--agent-model", "m", "--aud", AudA, "--tool-scope", "flights:*", "--holder-jwk", Path("rsa.key"));
        var proof = await ProveAsync(issued.Out, "rsa.key", "flights:book");

        await AssertRefusedAsync(["verify", issued.Out, "--aud", AudA, "--proof", proof.Out, "--op", "flights:book"], "InvalidProof", "AP0043");
        var ok = await _cli.RunAsync("verify", issued.Out, "--aud", AudA, "--proof", proof.Out, "--op", "flights:book", "--allow-proof-alg", "PS256");
        Assert.True(ok.ExitCode == 0, ok.ToString());
    }

    [Fact]
    public async Task RequireHolderBinding_RefusesABearerPassport()
    {
        Assert.Equal(0, (await _cli.RunAsync("login", "--mock")).ExitCode);
        var bearer = await _cli.RunAsync("issue", "--agent-id", "agent:alice", "--agent-model", "m", "--aud", AudA, "--tool-scope", "flights:*");

        Assert.Equal(0, (await _cli.RunAsync("verify", bearer.Out, "--aud", AudA)).ExitCode);
        await AssertRefusedAsync(["verify", bearer.Out, "--aud", AudA, "--require-holder-binding"], "HolderMismatch", "AP0044");
    }

    [Fact]
    public async Task BadKeyFilesAndArguments_AreUsageErrors_AndNoKeyIsEverPrinted()
    {
        string alice = await BoundRootAsync();
        string secret = PrivateMember(Path("alice.key"));
        var outputs = new List<CliResult>();

        async Task UsageAsync(string expected, params string[] args)
        {
            var result = await _cli.RunAsync(args);
            outputs.Add(result);
            Assert.True(result.ExitCode == 2, result.ToString());
            Assert.Contains(expected, result.Stderr);
        }

        string shared = _cli.WriteFile("shared.key", File.ReadAllText(Path("alice.key")));
        File.SetUnixFileMode(shared, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        await UsageAsync("readable or writable by other users", "prove", alice, "--key", shared, "--aud", AudA, "--op", "flights:book");
        await UsageAsync("readable or writable by other users", "issue", "--agent-id", "a", "--agent-model", "m", "--aud", AudA, "--holder-jwk", shared);
        await UsageAsync("holds a public key", "prove", alice, "--key", _cli.WriteFile("pub.json", PublicJwk("alice.key")), "--aud", AudA, "--op", "flights:book");
        await UsageAsync("not a usable holder key", "issue", "--agent-id", "a", "--agent-model", "m", "--aud", AudA, "--holder-jwk",
            _cli.WriteFile("oct.json", """{"kty":"oct","k":"c2VjcmV0c2VjcmV0c2VjcmV0c2VjcmV0"}"""));
        await UsageAsync("no such file", "prove", alice, "--key", Path("missing.key"), "--aud", AudA, "--op", "flights:book");
        await UsageAsync("--args is not valid JSON", "prove", alice, "--key", Path("alice.key"), "--aud", AudA, "--op", "flights:book", "--args", "{route");
        await UsageAsync("--args must be a JSON object", "prove", alice, "--key", Path("alice.key"), "--aud", AudA, "--op", "flights:book", "--args", "[1]");
        await UsageAsync("--proof needs --op", "verify", alice, "--aud", AudA, "--proof", "a.b.c");

        var proof = await ProveAsync(alice, "alice.key", "flights:book");
        outputs.Add(proof);
        Assert.All(outputs, o => Assert.DoesNotContain(secret, o.Stdout + o.Stderr));
        Assert.DoesNotContain(secret, proof.Out); // the proof's header carries the public JWK only
        Assert.Equal(3, proof.Out.Split('.').Length);
    }

    private string PublicJwk(string keyFile)
    {
        using var key = PassportHolderKey.FromJwk(File.ReadAllText(Path(keyFile)));
        return key.PublicJwkJson;
    }

    private async Task AssertRefusedAsync(string[] args, string errorName, string code, string prefix = "verification failed: ")
    {
        var result = await _cli.RunAsync(args);
        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.StartsWith(prefix + errorName + ": ", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("(code " + code, result.Stderr);
    }

    public void Dispose() => _cli.Dispose();
}
