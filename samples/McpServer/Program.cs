// McpServer: an MCP server (ModelContextProtocol.AspNetCore on Kestrel, 127.0.0.1) whose tools are gated per tool by
// Agent Passports, called by the official MCP C# client with a good Passport, an overbroad one, a wrong-audience one
// and none at all. The gate runs on every call even when a client calls a tool it was never shown (defence in depth).
using System.Net;
using AgentPassport;
using AgentPassport.ModelContextProtocol;
using AgentPassport.Samples;
using McpServerSample;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;
using static AgentPassport.Samples.SampleConsole;

const string IssuerUrl = "https://my-passport-issuer.example.com";
const string FlightsMcp = "https://flights-mcp.example.com/";

Section("1. The issuer side: a person signs in, Passports are minted");
await using var signIn = await SampleSignIn.StartAsync();   // Shared/Identity: the Quickstart's sign-in, in one call
using var keys = new InMemoryPassportKeyStore();
var issuer = new PassportIssuer(new PassportIssuerOptions { IssuerUrl = IssuerUrl, KeyStore = keys });

async Task<IssuedPassport> RootAsync(string agent, string audience, params string[] scopes) =>
    await issuer.IssueAsync(signIn.Validator, signIn.IdToken, new RootPassportGrant { AgentId = agent, AgentModel = "claude-opus-4-7", Audience = audience, ToolScope = scopes });

// The good one is delegated: Alice's agent gives a flights bot search + book for this server only.
var alice = await RootAsync("agent:alice", "https://service-a.example.com/", "flights:*", "hotels:*");
var aliceVerified = await new PassportVerifier(keys).VerifyAsync(alice.Token, new VerificationPolicy(IssuerUrl, "https://service-a.example.com/"));
var good = issuer.Delegate(aliceVerified, new DelegationRequest
{
    AgentId = "agent:flights-bot", AgentModel = "claude-opus-4-7", Audience = FlightsMcp, ToolScope = ["flights:search", "flights:book"],
});
var overbroad = await RootAsync("agent:greedy-bot", FlightsMcp, "*");
var wrongAudience = await RootAsync("agent:hotels-bot", "https://hotels-mcp.example.com/", "flights:search", "flights:book");
Field("good", $"{good.Passport.AgentId} {List(good.Passport.ToolScope.ToStrings())} aud {good.Passport.Audience}, 1 parent");
Field("overbroad", $"{overbroad.Passport.AgentId} {List(overbroad.Passport.ToolScope.ToStrings())} aud {overbroad.Passport.Audience}");
Field("wrong aud", $"{wrongAudience.Passport.AgentId} {List(wrongAudience.Passport.ToolScope.ToStrings())} aud {wrongAudience.Passport.Audience}");

Section("2. The MCP server: three tools, a Passport gate on tools/call and tools/list");
var serverAudit = new InMemoryPassportAuditSink();
var builder = WebApplication.CreateSlimBuilder();
builder.Logging.ClearProviders();
builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
// The server trusts the issuer by its public JWKS only (no private key), and requires IAL 2 for its own audience.
// IncludeDetailedDenials is opt-in; this demo turns it on so the client can print why each call was refused.
builder.Services.AddSingleton<IPassportKeyResolver>(JwksPassportKeyResolver.FromJson(keys.ExportJwks()));
builder.Services.AddSingleton<IPassportAuditSink>(serverAudit);
// One registration: the shared verifier (with its cache), authorizer, audit sink and clock, then the MCP piece — a
// call-tool filter (verify, then run or refuse) and a list-tools filter (list only what the Passport covers). Each tool's
// scope comes from its [PassportScope] attribute.
builder.Services.AddAgentPassport(o =>
    {
        o.Policy = new VerificationPolicy(IssuerUrl, FlightsMcp) { RequireIal = 2 };
        o.IncludeDetailedDenials = true;
    })
    .AddModelContextProtocol(o => o.Audience = FlightsMcp);
builder.Services.AddMcpServer()
    .WithHttpTransport()
    .WithTools<FlightTools>();
await using var app = builder.Build();
app.MapMcp("/mcp");
await app.StartAsync();
var endpoint = new Uri(app.Urls.First() + "/mcp");
Row("endpoint", endpoint);
foreach (var (tool, scope) in FlightTools.RequiredScopes())
{
    Row(tool, $"needs {scope}");
}

var outcomes = new List<bool>();

async Task UseServerAsync(string who, IssuedPassport? passport, string[] expected)
{
    var headers = new Dictionary<string, string>();
    if (passport is not null)
    {
        headers["Authorization"] = "Bearer " + passport.Token;
        if (passport.ChainTokens.Count > 0)
        {
            // Parents only (root first); a root Passport sends no chain header (an empty one is refused as malformed).
            headers[PassportMcpWire.ChainHeaderName] = string.Join(",", passport.ChainTokens);
        }
    }

    await using var client = await McpClient.CreateAsync(new HttpClientTransport(new HttpClientTransportOptions { Endpoint = endpoint, AdditionalHeaders = headers }));
    var listed = await client.ListToolsAsync();
    Row("tools/list", listed.Count == 0 ? "(none)" : string.Join(", ", listed.Select(t => t.Name)));

    // Call every tool, listed or not: a client can always try, so the gate must hold on each call.
    int i = 0;
    foreach (var (tool, argument) in new[] { ("flights_search", "route"), ("flights_book", "route"), ("flights_cancel", "confirmation") })
    {
        var result = await client.CallToolAsync(tool, new Dictionary<string, object?> { [argument] = argument == "route" ? "SFO -> JFK" : "PNR-7Q2K" });
        string text = string.Join(" ", result.Content.OfType<TextContentBlock>().Select(c => c.Text));
        Row(tool, result.IsError == true ? text : "OK  " + text);
        outcomes.Add(result.IsError == true ? text.Contains(expected[i], StringComparison.Ordinal) : expected[i] == "OK");
        i++;
    }
}

Section("3. A good Passport (delegated, search + book, this audience)");
await UseServerAsync("good", good, ["OK", "OK", "ScopeViolation"]);

Section("4. An overbroad Passport (scope '*')");
await UseServerAsync("overbroad", overbroad, ["WildcardScopeNotAllowed", "WildcardScopeNotAllowed", "WildcardScopeNotAllowed"]);

Section("5. A Passport for another server (wrong audience)");
await UseServerAsync("wrong audience", wrongAudience, ["AudienceMismatch", "AudienceMismatch", "AudienceMismatch"]);

Section("6. No Passport at all");
await UseServerAsync("none", null, ["NoPassport", "NoPassport", "NoPassport"]);

Section("7. What the server decided (its audit log)");
foreach (var e in serverAudit.Events)
{
    string verdict = e.Kind == PassportAuditEventKind.Allowed ? "ALLOWED" : $"DENIED  {e.ErrorKind} {e.ErrorCode}";
    Row(e.AgentId ?? "(no agent)", $"{verdict,-40} {e.ToolName}");
}

await app.StopAsync();
Done();
return outcomes.All(ok => ok) && outcomes.Count == 12 ? 0 : 1;

// Like Field, with room for the tool names.
static void Row(string label, object? value) => Console.WriteLine($"  {label + ":",-19} {value}");
