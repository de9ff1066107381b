using System.ComponentModel;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using AgentPassport.ModelContextProtocol.Tests.Support;
using AgentPassport.TestSupport.Adapters;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using ModelContextProtocol.AspNetCore;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace AgentPassport.ModelContextProtocol.Tests;

/// <summary>
/// The client side of the MCP wire contract (spec v1.1 §15) with the official MCP C# client: the Passport, its chain and a
/// per-call proof in <c>_meta</c>, as a real MCP server (Kestrel, Streamable HTTP) receives them. The proof is checked with
/// the core verifier against the arguments the server received.
/// </summary>
public sealed class McpClientPassportTests(McpServerFixture enforcing) : IClassFixture<McpServerFixture>, IAsyncLifetime, IDisposable
{
    private const string Audience = "https://mcp.example.com/";
    private readonly PassportFixture _f = new();
    private readonly PassportHolderKey _aliceKey = PassportHolderKey.Generate();
    private readonly PassportHolderKey _bobKey = PassportHolderKey.Generate();
    private readonly List<CallToolRequestParams> _received = [];
    private WebApplication _app = null!;
    private Uri _endpoint = null!;

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));
        builder.Services.AddMcpServer().WithHttpTransport(o => o.Stateless = true).WithTools<BookingTools>();

        // Records the call's parameters as the server received them, then runs the tool.
        builder.Services.Configure<McpServerOptions>(o => o.Filters.Request.CallToolFilters.Add(next => (request, ct) =>
        {
            lock (_received)
            {
                _received.Add(request.Params!);
            }

            return next(request, ct);
        }));
        _app = builder.Build();
        _app.MapMcp("/mcp");
        await _app.StartAsync();
        _endpoint = new Uri(_app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single().TrimEnd('/') + "/mcp");
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    public void Dispose()
    {
        _aliceKey.Dispose();
        _bobKey.Dispose();
        _f.Dispose();
    }

    private Task<McpClient> ConnectAsync(Uri endpoint) =>
        McpClient.CreateAsync(new HttpClientTransport(new HttpClientTransportOptions { Endpoint = endpoint, TransportMode = HttpTransportMode.StreamableHttp }));

    /// <summary>Alice (bound to her key) → Bob (bound to his), as Bob holds it in his process.</summary>
    private async Task<(IssuedPassport Alice, PassportContext Bob)> BoundChainAsync()
    {
        var alice = _f.Issuer.Issue(new RootPassportRequest
        {
            Identity = PassportFixture.Identity(),
            AgentId = "agent:alice",
            AgentModel = "m",
            Audience = Audience,
            ToolScope = ["flights:*"],
            HolderThumbprint = _aliceKey.Thumbprint,
        });
        var verified = await _f.Verifier.VerifyAsync(alice.Token, new VerificationPolicy(PassportFixture.IssuerUrl, Audience));
        var bob = _f.Issuer.Delegate(verified, new DelegationRequest
        {
            AgentId = "agent:bob",
            AgentModel = "m",
            Audience = Audience,
            ToolScope = ["flights:book"],
            HolderThumbprint = _bobKey.Thumbprint,
            ParentProof = PassportProof.Create(_aliceKey, PassportFixture.IssuerUrl, alice.Token, PassportProof.DelegateOperation, timeProvider: _f.Time),
        });
        return (alice, PassportContext.From(bob).WithHolderKey(_bobKey));
    }

    [Fact]
    public async Task EachCall_CarriesTokenChainRootFirstAndAFreshProof_ThatVerifiesForExactlyTheArgumentsReceived()
    {
        var (alice, bob) = await BoundChainAsync();
        await using var client = await ConnectAsync(_endpoint);
        var args = new Dictionary<string, object?> { ["item"] = "SFO-JFK", ["seats"] = 2 };

        var first = await client.CallToolWithPassportAsync(bob, "flights_book", "flights:book", args, _f.Time);
        var second = await client.CallToolWithPassportAsync(bob, "flights_book", "flights:book", args, _f.Time);

        Assert.NotEqual(true, first.IsError);
        Assert.Equal("booked SFO-JFK × 2", Assert.IsType<TextContentBlock>(first.Content.Single()).Text);
        Assert.Equal(2, _received.Count);
        var meta = _received[0].Meta!;
        Assert.Equal(bob.Token, meta[PassportMcpWire.MetaTokenKey]!.GetValue<string>());
        Assert.Equal([alice.Token], meta[PassportMcpWire.MetaChainKey]!.AsArray().Select(n => n!.GetValue<string>()));
        string proof = meta[PassportMcpWire.MetaProofKey]!.GetValue<string>();
        Assert.NotEqual(proof, _received[1].Meta![PassportMcpWire.MetaProofKey]!.GetValue<string>());

        // The server's view: chain verified, then the proof for op = the tool's scope and args = the arguments it received.
        var policy = new VerificationPolicy(PassportFixture.IssuerUrl, Audience) { RequireHolderBinding = true, RequireArgumentBinding = true };
        var leaf = await new PassportVerifier(_f.Keys, _f.Time).VerifyAsync(bob.Token, policy, [alice.Token]);
        var received = PassportToolArguments.FromJsonObject(JsonSerializer.SerializeToElement(_received[0].Arguments));
        var proofs = new PassportProofVerifier(policy, new InMemoryPassportReplayCache(timeProvider: _f.Time), _f.Time);
        var accepted = await proofs.VerifyAsync(leaf, proof, PassportProofExpectation.ForOperation(Audience, "flights:book", received));
        Assert.True(accepted.Succeeded, accepted.Error?.ToString());
        Assert.Equal(_bobKey.Thumbprint, accepted.Thumbprint);

        var replayed = await proofs.VerifyAsync(leaf, proof, PassportProofExpectation.ForOperation(Audience, "flights:book", received));
        Assert.Equal(PassportErrorKind.ReplayDetected, replayed.Error!.Kind);
        var otherArgs = PassportToolArguments.From([new("item", "SFO-JFK"), new("seats", 3)]);
        var secondProof = _received[1].Meta![PassportMcpWire.MetaProofKey]!.GetValue<string>();
        Assert.Equal(PassportErrorKind.InvalidProof, (await proofs.VerifyAsync(leaf, secondProof, PassportProofExpectation.ForOperation(Audience, "flights:book", otherArgs))).Error!.Kind);
    }

    [Fact]
    public async Task ABearerPassportInMeta_IsWhatTheEnforcingServerReads_NoProofAdded()
    {
        await using var client = await ConnectAsync(enforcing.Endpoint);

        var allowed = await client.CallToolWithPassportAsync(enforcing.Carol, "flights_book", "flights:book", new Dictionary<string, object?> { ["item"] = "SFO-JFK" });
        var denied = await client.CallToolWithPassportAsync(enforcing.Carol, "hotels_book", "hotels:book", new Dictionary<string, object?> { ["item"] = "SFO-JFK" });

        Assert.NotEqual(true, allowed.IsError);
        Assert.True(denied.IsError);
        var request = PassportMcpClientExtensions.CreateCallToolRequest(enforcing.Carol, "flights_book", "flights:book");
        Assert.False(request.Meta!.ContainsKey(PassportMcpWire.MetaProofKey));
        Assert.Equal(enforcing.Carol.ChainTokens, request.Meta[PassportMcpWire.MetaChainKey]!.AsArray().Select(n => n!.GetValue<string>()));
    }

    [Fact]
    public async Task ABoundPassportWithoutItsKey_OrWithAnotherKey_IsRefusedBeforeSending()
    {
        var (_, bob) = await BoundChainAsync();
        var stolen = new PassportContext(bob.Token, bob.ChainTokens);

        Assert.Contains("WithHolderKey", Assert.Throws<InvalidOperationException>(() => PassportMcpClientExtensions.CreateCallToolRequest(stolen, "flights_book", "flights:book")).Message);
        Assert.Throws<InvalidOperationException>(() => PassportMcpClientExtensions.CreateCallToolRequest(stolen.WithHolderKey(_aliceKey), "flights_book", "flights:book"));
        Assert.Empty(_received);
    }

    [McpServerToolType]
    public sealed class BookingTools
    {
        [McpServerTool(Name = "flights_book"), Description("Books a flight.")]
        public static string Book(string item, int seats) => $"booked {item} × {seats}";
    }
}
