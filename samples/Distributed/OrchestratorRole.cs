using System.Text.RegularExpressions;
using AgentPassport;
using AgentPassport.IssuerService;
using AgentPassport.ModelContextProtocol;
using AgentPassport.Samples;
using AgentPassport.Sqlite;
using ModelContextProtocol;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;
using static AgentPassport.Samples.SampleConsole;

namespace DistributedSample;

/// <summary>
/// Process 3: the orchestrator. Starts the issuer and the tool server, gets Alice's root Passport by token exchange,
/// delegates Alice → Bob → Carol through the issuer (each agent its own holder key), calls the tool server with a proof
/// per call, has Bob revoke his Passport halfway, then stops both services and verifies their audit logs.
/// </summary>
internal static partial class OrchestratorRole
{
    private const string Model = "claude-opus-4-7";

    public static async Task<int> RunAsync()
    {
        try
        {
            return await RunAllAsync();
        }
        catch (Exception ex) when (ex is PassportTokenExchangeException or AgentPassportException or InvalidOperationException or HttpRequestException or McpException)
        {
            // The services are already stopped (await using); say what went wrong without a stack trace.
            Console.Error.WriteLine($"Distributed: {ex.GetType().Name}: {ex.Message}");
            return 1;
        }
    }

    private static async Task<int> RunAllAsync()
    {
        string runDirectory = Path.Combine(Path.GetTempPath(), "agent-passport-samples", $"distributed-{Guid.NewGuid():N}");
        OwnerOnlyFiles.CreateDirectory(runDirectory);

        Section("1. The person signs in (mock OpenID provider on 127.0.0.1, IAL2)");
        await using var signIn = await SampleSignIn.StartAsync();
        Field("provider", signIn.DiscoveryUrl);
        Field("run folder", runDirectory);
        Note("The ID token goes to the issuer service only; it is never printed.");

        Section("2. Two services start as child processes of this app");
        var outcomes = new List<bool>();
        await using (var issuerService = await ServiceProcess.StartAsync(IssuerRole.Name, runDirectory, signIn.DiscoveryUrl.ToString()))
        await using (var toolServer = await ServiceProcess.StartAsync(ToolServerRole.Name, runDirectory, issuerService.Url))
        {
            Field("issuer", issuerService.Url + "  (JWKS, token exchange, revocation)");
            Field("tool server", toolServer.Url + "  (MCP, holder-bound Passports required)");
            Field("replay cache", ReplayCaches.Describe());
            Field("revocations", "one file shared by issuer and tool server");

            await RunAgentsAsync(new Uri(issuerService.Url), new Uri(toolServer.Url), signIn.IdToken, outcomes);

            Section("7. The services stop (each seals its audit log)");
            await toolServer.DisposeAsync();
            await issuerService.DisposeAsync();
            Field("issuer", $"exit {issuerService.ExitCode}");
            Field("tool server", $"exit {toolServer.ExitCode}");
            outcomes.Add(issuerService.ExitCode == 0 && toolServer.ExitCode == 0);
        }

        Section("8. Both audit logs verified; the delegation tree rebuilt from both");
        var issuerLog = await VerifyLogAsync(runDirectory, IssuerRole.Name);
        var toolLog = await VerifyLogAsync(runDirectory, ToolServerRole.Name);
        outcomes.Add(issuerLog.IsIntact && toolLog.IsIntact);
        Console.WriteLine();
        foreach (string line in DelegationTree.Build([issuerLog, toolLog]).ToText().TrimEnd().Split('\n'))
        {
            Console.WriteLine("  " + line.TrimEnd('\r'));
        }

        Done();
        return outcomes.Count > 0 && outcomes.All(ok => ok) ? 0 : 1;
    }

    private static async Task RunAgentsAsync(Uri issuerUrl, Uri toolServerUrl, string idToken, List<bool> outcomes)
    {
        using var exchange = new PassportTokenExchangeClient(new PassportTokenExchangeClientOptions { IssuerUrl = issuerUrl });
        using var aliceKey = PassportHolderKey.Generate();
        using var bobKey = PassportHolderKey.Generate();
        using var carolKey = PassportHolderKey.Generate();

        Section("3. Token exchange: Alice's root Passport, then Alice → Bob → Carol, each bound to its own key");
        var alice = await exchange.ExchangeIdTokenAsync(idToken, new DelegationRequest
        {
            AgentId = "agent:alice", AgentModel = Model, Audience = SampleSettings.FlightsMcp, ToolScope = ["flights:*"], TaskPurpose = "Plan the June trip",
        }, aliceKey);
        var bob = await exchange.DelegateAsync(alice, new DelegationRequest
        {
            AgentId = "agent:bob", AgentModel = Model, Audience = SampleSettings.FlightsMcp, ToolScope = ["flights:search", "flights:book"], TaskPurpose = "Handle the flights",
        }, bobKey);
        var carol = await exchange.DelegateAsync(bob, new DelegationRequest
        {
            AgentId = "agent:carol", AgentModel = Model, Audience = SampleSettings.FlightsMcp, ToolScope = ["flights:book"], TaskPurpose = "Book SFO -> JFK",
            Constraints = PassportConstraints.Empty.With("flights:book", "amount", PassportConstraint.Range(null, 500m)),
        }, carolKey);
        foreach (var (name, passport) in new[] { ("alice", alice), ("bob", bob), ("carol", carol) })
        {
            var claims = PassportReader.DecodeUnverified(passport.Token);
            Field(name, $"{List(claims.ToolScope.ToStrings())} depth {claims.Depth}, bound to key {claims.HolderThumbprint?[..8]}…");
        }

        Field("carol limits", "flights:book amount <= 500");
        Note("Each delegation was proved by the parent's key (op = delegate); the issuer bound the child to the child's key.");

        await using var mcp = await McpClient.CreateAsync(new HttpClientTransport(new HttpClientTransportOptions
        {
            Endpoint = toolServerUrl,
            TransportMode = HttpTransportMode.StreamableHttp,
        }));

        Section("4. Carol calls the tool server (a fresh proof per call, bound to the arguments)");
        outcomes.Add(await CallAsync(mcp, "carol", carol, "flights_book", "flights:book", Book("JFK", 420)) == "ALLOWED");
        outcomes.Add(await CallAsync(mcp, "carol", carol, "flights_book", "flights:book", Book("JFK", 900)) == "ConstraintViolation");
        outcomes.Add(await CallAsync(mcp, "carol", carol, "flights_cancel", "flights:cancel", new() { ["confirmation"] = "PNR-7Q2K" }) == "ScopeViolation");

        Section("5. Bob revokes his Passport at the issuer (his holder proof, op = revoke)");
        await exchange.RevokeAsync(bob);
        Field("revoked", "agent:bob, and everything delegated from it");

        Section("6. After the revocation");
        outcomes.Add(await CallAsync(mcp, "carol", carol, "flights_book", "flights:book", Book("JFK", 300)) == "Revoked");
        outcomes.Add(await CallAsync(mcp, "alice", alice, "flights_search", "flights:search", new() { ["route"] = "SFO -> JFK" }) == "ALLOWED");
    }

    private static Dictionary<string, object?> Book(string dest, decimal amount) => new() { ["dest"] = dest, ["amount"] = amount };

    /// <summary>Calls one tool and prints the outcome; returns ALLOWED or the denial's error kind.</summary>
    private static async Task<string> CallAsync(McpClient mcp, string agent, PassportContext passport, string tool, string scope, Dictionary<string, object?> arguments)
    {
        var result = await mcp.CallToolWithPassportAsync(passport, tool, scope, arguments);
        string text = string.Join(" ", result.Content.OfType<TextContentBlock>().Select(c => c.Text));
        string call = $"{agent} {tool} {string.Join(", ", arguments.Select(a => $"{a.Key}={a.Value}"))}";
        if (result.IsError != true)
        {
            Console.WriteLine($"  {call,-44} ALLOWED  {text}");
            return "ALLOWED";
        }

        var kind = DeniedKind().Match(text);
        string name = kind.Success ? kind.Groups["kind"].Value : "(unknown)";
        Console.WriteLine($"  {call,-44} DENIED   {(kind.Success ? kind.Value : text)}");
        return name;
    }

    private static async Task<PassportAuditLogVerification> VerifyLogAsync(string runDirectory, string role)
    {
        // The sample reads each service's public checkpoint key from the run folder; in production, pin it out of band.
        using var key = PassportAuditLogKey.LoadOrCreate(SampleSettings.AuditKey(runDirectory, role));
        var verification = await SqlitePassportAuditLog.VerifyAsync(SampleSettings.AuditLog(runDirectory, role),
            new PassportAuditLogVerifierOptions { Keys = [key.PublicKey], RequireSealed = true, KeepEvents = true });
        bool ok = verification.IsIntact && verification.Fault == PassportAuditLogFault.None;
        Field(role + " log", ok ? $"verified: {verification.VerifiedEvents} events, sealed {verification.Sealed}" : $"NOT verified: {verification.Message}");
        return verification;
    }

    [GeneratedRegex(@"(?<kind>[A-Za-z]+) \(AP\d{4}\)")]
    private static partial Regex DeniedKind();
}
