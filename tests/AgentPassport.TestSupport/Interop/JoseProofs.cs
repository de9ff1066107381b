using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace AgentPassport.TestSupport.Interop;

/// <summary>
/// An independent implementation of Agent Passport proofs: <c>tests/interop/proof.mjs</c> on panva <c>jose</c>, run with
/// Node. Makes holder keys and proofs, and verifies proofs made by this library.
/// </summary>
public static class JoseProofs
{
    /// <summary>A fresh ES256 holder key made by jose: the private JWK (JSON), the public JWK (JSON) and jose's RFC 7638 thumbprint.</summary>
    public static async Task<(string PrivateJwk, string PublicJwk, string Thumbprint)> KeyAsync()
    {
        var (exit, output) = await RunAsync("keygen", "{}");
        Assert(exit == 0, output);
        var json = JsonNode.Parse(output)!;
        return (json["privateJwk"]!.ToJsonString(), json["publicJwk"]!.ToJsonString(), json["jkt"]!.GetValue<string>());
    }

    /// <summary>A proof made by jose. <paramref name="request"/> holds privateJwk (a JSON object), token, aud, op or htm+htu, args, tamper (see proof.mjs).</summary>
    public static async Task<string> SignAsync(JsonObject request)
    {
        var (exit, output) = await RunAsync("sign", request.ToJsonString());
        Assert(exit == 0, output);
        return output;
    }

    /// <summary>Verifies a proof in jose; returns (true, details) or (false, jose's reason).</summary>
    public static async Task<(bool Ok, JsonNode Result)> VerifyAsync(JsonObject request)
    {
        var (exit, output) = await RunAsync("verify", request.ToJsonString());
        var json = JsonNode.Parse(output)!;
        return (exit == 0 && json["ok"]!.GetValue<bool>(), json);
    }

    private static async Task<(int Exit, string Stdout)> RunAsync(string command, string stdin)
    {
        string node = NodeOidcProvider.FindOnPath("node") ?? throw new InvalidOperationException(
            "Node.js was not found on PATH. Install Node.js 20 or later (https://nodejs.org) to run the jose interop tests.");
        await NodeOidcProvider.EnsureInstalledAsync();
        var info = new ProcessStartInfo(node)
        {
            WorkingDirectory = NodeOidcProvider.InteropDirectory,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add("proof.mjs");
        info.ArgumentList.Add(command);
        using var process = Process.Start(info) ?? throw new InvalidOperationException("Could not start node.");
        await process.StandardInput.WriteAsync(stdin);
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        string output = await stdout;
        if (output.Length == 0)
        {
            throw new InvalidOperationException($"proof.mjs {command} printed nothing: {await stderr}");
        }

        return (process.ExitCode, output);
    }

    private static void Assert(bool condition, string output)
    {
        if (!condition)
        {
            throw new InvalidOperationException("proof.mjs failed: " + output);
        }
    }

    /// <summary>Parses a JWK JSON string as a node for a request.</summary>
    public static JsonNode Jwk(string json) => JsonNode.Parse(json) ?? throw new JsonException("not a JWK");
}
