using System.Text.Json.Nodes;
using AgentPassport.Cli.Tests.Support;
using AgentPassport.TestSupport.Interop;

namespace AgentPassport.Cli.Tests.Commands;

/// <summary>
/// Proofs of possession against an independent JOSE implementation (panva <c>jose</c>, <c>tests/interop/proof.mjs</c>):
/// jose's proofs verify here (CLI and library), this CLI's proofs verify in jose, and a jose proof with a wrong
/// <c>typ</c>, <c>ath</c> or a private <c>jwk</c> is refused.
/// </summary>
public sealed class JoseProofInteropTests : IDisposable
{
    private const string Aud = "https://flights-mcp.example.com/";
    private readonly CliSandbox _cli = new();

    private async Task<string> BoundRootAsync(string keyFile)
    {
        Assert.Equal(0, (await _cli.RunAsync("login", "--mock")).ExitCode);
        var issued = await _cli.RunAsync("issue", "--agent-id", "agent:alice", "--agent-model", "m", "--aud", Aud, "--tool-scope", "flights:*", "--holder-jwk", keyFile);
        Assert.True(issued.ExitCode == 0, issued.ToString());
        return issued.Out;
    }

    private async Task<(string File, string PrivateJwk, string Thumbprint)> JoseKeyFileAsync()
    {
        var (privateJwk, _, thumbprint) = await JoseProofs.KeyAsync();
        string file = _cli.WriteFile("jose.key", privateJwk);
        File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        return (file, privateJwk, thumbprint);
    }

    private static JsonObject SignRequest(string privateJwk, string token, string op, JsonNode? args = null, string? tamper = null)
    {
        var request = new JsonObject { ["privateJwk"] = JsonNode.Parse(privateJwk), ["token"] = token, ["aud"] = Aud, ["op"] = op };
        if (args is not null)
        {
            request["args"] = args;
        }

        if (tamper is not null)
        {
            request["tamper"] = tamper;
        }

        return request;
    }

    [Fact]
    public async Task AJoseProof_VerifiesAtTheCli_AndInTheLibrary_WithJosesThumbprint()
    {
        var (file, privateJwk, joseThumbprint) = await JoseKeyFileAsync();
        string token = await BoundRootAsync(file);
        Assert.Equal(joseThumbprint, PassportReader.DecodeUnverified(token).HolderThumbprint); // RFC 7638 agrees

        var args = new JsonObject { ["route"] = "SFO-JFK", ["seats"] = 2, ["notes"] = "window ✈" };
        string proof = await JoseProofs.SignAsync(SignRequest(privateJwk, token, "flights:book", args));
        var cli = await _cli.RunAsync("verify", token, "--aud", Aud, "--require-holder-binding", "--proof", proof, "--op", "flights:book", "--args", args.ToJsonString());
        Assert.True(cli.ExitCode == 0, cli.ToString());

        using var keys = new FilePassportKeyStore(_cli.KeysDir);
        var policy = new VerificationPolicy(CliSandbox.LocalIssuer, Aud) { RequireHolderBinding = true, RequireArgumentBinding = true };
        var leaf = await new PassportVerifier(keys).VerifyAsync(token, policy);
        var arguments = PassportToolArguments.FromJsonObject(System.Text.Json.JsonDocument.Parse(args.ToJsonString()).RootElement);
        var result = await new PassportProofVerifier(policy, new InMemoryPassportReplayCache()).VerifyAsync(leaf, proof, PassportProofExpectation.ForOperation(Aud, "flights:book", arguments));
        Assert.True(result.Succeeded, result.Error?.ToString());
        Assert.Equal(joseThumbprint, result.Thumbprint);
    }

    [Fact]
    public async Task ACliProof_VerifiesInJose_AndJoseRefusesItForAnotherCall()
    {
        var made = await _cli.RunAsync("keys", "holder-new", "--out", Path.Combine(_cli.WorkDir, "alice.key"));
        string token = await BoundRootAsync(Path.Combine(_cli.WorkDir, "alice.key"));
        const string Args = """{"seats":2,"route":"SFO-JFK"}""";
        var proof = await _cli.RunAsync("prove", token, "--key", Path.Combine(_cli.WorkDir, "alice.key"), "--aud", Aud, "--op", "flights:book", "--args", Args);
        Assert.True(proof.ExitCode == 0, proof.ToString());

        JsonObject Check(string op) => new() { ["proof"] = proof.Out, ["token"] = token, ["jkt"] = made.Out, ["aud"] = Aud, ["op"] = op, ["args"] = JsonNode.Parse(Args) };
        var (ok, details) = await JoseProofs.VerifyAsync(Check("flights:book"));
        Assert.True(ok, details.ToJsonString());

        var (wrongOp, reason) = await JoseProofs.VerifyAsync(Check("flights:cancel"));
        Assert.False(wrongOp);
        Assert.Contains("op does not match", reason.ToJsonString());
    }

    [Theory]
    [InlineData("typ")]
    [InlineData("ath")]
    [InlineData("privateJwk")]
    public async Task AJoseProofWithAWrongTypAthOrAPrivateJwk_IsRefusedInvalidProof(string tamper)
    {
        var (file, privateJwk, _) = await JoseKeyFileAsync();
        string token = await BoundRootAsync(file);
        string proof = await JoseProofs.SignAsync(SignRequest(privateJwk, token, "flights:book", tamper: tamper));

        var cli = await _cli.RunAsync("verify", token, "--aud", Aud, "--proof", proof, "--op", "flights:book");

        Assert.True(cli.ExitCode == 1, cli.ToString());
        Assert.StartsWith("verification failed: InvalidProof: ", cli.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain(JsonNode.Parse(privateJwk)!["d"]!.GetValue<string>(), cli.Stdout + cli.Stderr);
    }

    public void Dispose() => _cli.Dispose();
}
