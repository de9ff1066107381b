using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using AgentPassport.TestSupport.Adapters;
using AgentPassport.ModelContextProtocol.Tests.Support;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using ModelContextProtocol.AspNetCore;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;

namespace AgentPassport.ModelContextProtocol.Tests;

/// <summary>
/// The §15 wire contract on a real MCP server (official client, Streamable HTTP) that keeps Authorization for its own
/// OAuth: the Agent-Passport headers and the _meta values, holder-bound Passports with their proofs.
/// </summary>
public sealed class McpWireContractTests : IAsyncLifetime, IDisposable
{
    private static readonly Dictionary<string, JsonElement> Args = new() { ["item"] = JsonSerializer.SerializeToElement("SFO-JFK") };

    private readonly PassportFixture _f = new();
    private readonly PassportHolderKey _aliceKey = PassportHolderKey.Generate();
    private readonly PassportHolderKey _carolKey = PassportHolderKey.Generate();
    private WebApplication? _app;
    private Uri _endpoint = null!;
    private PassportContext _carol = null!;
    private PassportContext _alice = null!;
    private PassportContext _boundCarol = null!;

    public async Task InitializeAsync()
    {
        (_alice, _, _carol) = await _f.AliceBobCarolAsync(McpServerFixture.McpAudience);
        _boundCarol = await BoundCarolAsync();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));
        builder.Services.AddSingleton(_f.Authorizer);
        builder.Services.AddSingleton<McpToolRuns>();
        builder.Services.AddMcpServer()
            .WithHttpTransport(o => o.Stateless = true)
            .WithTools<TravelMcpTools>()
            .AddAgentPassport(o =>
            {
                o.Audience = McpServerFixture.McpAudience;
                o.ReserveAuthorizationHeader = true;
            });
        _app = builder.Build();
        _app.MapMcp("/mcp");
        await _app.StartAsync();
        var address = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        _endpoint = new Uri(address.TrimEnd('/') + "/mcp");
    }

    [Fact]
    public async Task Agent_Passport_headers_beside_the_servers_own_OAuth_token()
    {
        var headers = Headers(_carol);
        headers["Authorization"] = "Bearer the-servers-own-oauth-access-token";
        await using var client = await Connect(headers);

        var allowed = await client.CallToolAsync("flights_book", Args.ToDictionary(a => a.Key, a => (object?)a.Value));
        var denied = await client.CallToolAsync("hotels_book", Args.ToDictionary(a => a.Key, a => (object?)a.Value));

        Assert.NotEqual(true, allowed.IsError);
        Assert.True(denied.IsError);
        Assert.Equal(["agent:carol allowed flights:book", "agent:carol denied hotels:book"], Decisions());
    }

    [Fact]
    public async Task A_Passport_in_a_reserved_Authorization_header_is_not_read()
    {
        await using var client = await Connect(new Dictionary<string, string> { ["Authorization"] = "Bearer " + _alice.Token });

        var result = await client.CallToolAsync(new CallToolRequestParams { Name = "flights_book", Arguments = Args });

        Assert.True(result.IsError);
        Assert.Equal(PassportErrorKind.NoPassport, Assert.Single(Denials()).ErrorKind);
    }

    [Fact]
    public async Task A_bound_Passport_with_its_proof_in_meta_runs_and_without_it_is_ProofRequired()
    {
        await using var client = await Connect(new Dictionary<string, string>());

        var withProof = await client.CallToolAsync(new CallToolRequestParams { Name = "flights_book", Arguments = Args, Meta = Meta(_boundCarol, Proof()) });
        var without = await client.CallToolAsync(new CallToolRequestParams { Name = "flights_book", Arguments = Args, Meta = Meta(_boundCarol, proof: null) });

        Assert.NotEqual(true, withProof.IsError);
        Assert.True(without.IsError);
        Assert.Equal((PassportErrorKind?)PassportErrorKind.ProofRequired, Assert.Single(Denials()).ErrorKind);
    }

    [Fact]
    public async Task A_proof_in_the_header_goes_with_the_header_Passport()
    {
        var headers = Headers(_boundCarol);
        headers[PassportMcpWire.ProofHeaderName] = Proof();
        await using var client = await Connect(headers);

        var result = await client.CallToolAsync(new CallToolRequestParams { Name = "flights_book", Arguments = Args });

        Assert.NotEqual(true, result.IsError);
    }

    [Fact]
    public async Task Two_different_proofs_or_Passports_in_headers_and_meta_are_refused()
    {
        var headers = Headers(_boundCarol);
        headers[PassportMcpWire.ProofHeaderName] = Proof();
        await using var client = await Connect(headers);

        var twoProofs = await client.CallToolAsync(new CallToolRequestParams { Name = "flights_book", Arguments = Args, Meta = Meta(_boundCarol, Proof()) });
        var twoPassports = await client.CallToolAsync(new CallToolRequestParams { Name = "flights_book", Arguments = Args, Meta = Meta(_carol, proof: null) });

        Assert.True(twoProofs.IsError);
        Assert.True(twoPassports.IsError);
        Assert.All(Denials(), d => Assert.Equal(PassportErrorKind.InvalidToken, d.ErrorKind));
        Assert.Equal(2, Denials().Count);
    }

    [Fact]
    public async Task A_proof_in_meta_without_a_Passport_is_malformed()
    {
        await using var client = await Connect(new Dictionary<string, string>());

        var result = await client.CallToolAsync(new CallToolRequestParams { Name = "flights_book", Arguments = Args, Meta = new JsonObject { [PassportMcpWire.MetaProofKey] = Proof() } });

        Assert.True(result.IsError);
        Assert.Equal((PassportErrorKind?)PassportErrorKind.InvalidToken, Assert.Single(Denials()).ErrorKind);
    }

    public async Task DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
    }

    public void Dispose()
    {
        _f.Dispose();
        _aliceKey.Dispose();
        _carolKey.Dispose();
    }

    private string Proof() => PassportProof.Create(_carolKey, McpServerFixture.McpAudience, _boundCarol.Token, "flights:book", timeProvider: _f.Time);

    private Task<McpClient> Connect(Dictionary<string, string> headers) =>
        McpClient.CreateAsync(new HttpClientTransport(new HttpClientTransportOptions { Endpoint = _endpoint, TransportMode = HttpTransportMode.StreamableHttp, AdditionalHeaders = headers }));

    private static Dictionary<string, string> Headers(PassportContext passport)
    {
        var headers = new Dictionary<string, string> { [PassportMcpWire.PassportHeaderName] = passport.Token };
        if (passport.ChainTokens.Count > 0)
        {
            headers[PassportMcpWire.ChainHeaderName] = string.Join(',', passport.ChainTokens);
        }

        return headers;
    }

    private static JsonObject Meta(PassportContext passport, string? proof)
    {
        var meta = new JsonObject
        {
            [PassportMcpWire.MetaTokenKey] = passport.Token,
            [PassportMcpWire.MetaChainKey] = new JsonArray([.. passport.ChainTokens.Select(t => (JsonNode)JsonValue.Create(t))]),
        };
        if (proof is not null)
        {
            meta[PassportMcpWire.MetaProofKey] = proof;
        }

        return meta;
    }

    private List<PassportAuditEvent> Denials() => _f.Sink.Events.Where(e => e.Kind == PassportAuditEventKind.Denied).ToList();

    private List<string> Decisions() => [.. _f.Decisions()];

    // Alice (bound to her key) → Carol (bound to hers), minted with Alice's delegation proof.
    private async Task<PassportContext> BoundCarolAsync()
    {
        var alice = _f.Issuer.Issue(new RootPassportRequest
        {
            Identity = PassportFixture.Identity(),
            AgentId = "agent:alice",
            AgentModel = "model-a",
            Audience = McpServerFixture.McpAudience,
            ToolScope = ["flights:*"],
            HolderThumbprint = _aliceKey.Thumbprint,
        });
        var verified = await _f.Verifier.VerifyAsync(alice.Token, new VerificationPolicy(PassportFixture.IssuerUrl, McpServerFixture.McpAudience));
        return PassportContext.From(_f.Issuer.Delegate(verified, new DelegationRequest
        {
            AgentId = "agent:carol",
            AgentModel = "model-c",
            Audience = McpServerFixture.McpAudience,
            ToolScope = ["flights:book"],
            HolderThumbprint = _carolKey.Thumbprint,
            ParentProof = PassportProof.Create(_aliceKey, PassportFixture.IssuerUrl, alice.Token, PassportProof.DelegateOperation, timeProvider: _f.Time),
        }));
    }
}
