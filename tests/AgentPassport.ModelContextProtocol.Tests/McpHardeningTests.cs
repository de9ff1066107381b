using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using AgentPassport.ModelContextProtocol;
using AgentPassport.ModelContextProtocol.Tests.Support;
using AgentPassport.TestSupport.Adapters;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ModelContextProtocol.AspNetCore;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;

namespace AgentPassport.ModelContextProtocol.Tests;

/// <summary>Unknown tools are their own audit event, and chain inputs are capped before they are copied.</summary>
public sealed class McpHardeningTests(McpServerFixture server) : IClassFixture<McpServerFixture>
{
    [Fact]
    public async Task An_unknown_tool_is_one_UnknownTool_event_naming_the_verified_caller_and_nothing_runs()
    {
        await using var client = await server.ConnectAsync(McpServerFixture.Headers(server.Carol));
        var (events, runs) = (server.Passports.Sink.Events.Count, server.Runs.Total);

        var result = await client.CallToolAsync("payments_charge_now", new Dictionary<string, object?> { ["item"] = "x" });

        Assert.True(result.IsError);
        Assert.Equal(runs, server.Runs.Total);
        var e = Assert.Single(server.Passports.Sink.Events.Skip(events));
        Assert.Equal(PassportAuditEventKind.UnknownTool, e.Kind);
        Assert.Equal("agent:carol", e.AgentId);
        Assert.True(e.ClaimsVerified);
        Assert.Null(e.RequiredScope);
    }

    [Fact]
    public async Task An_unknown_tool_without_a_Passport_is_still_one_UnknownTool_event()
    {
        await using var client = await server.ConnectAsync();
        var events = server.Passports.Sink.Events.Count;

        var result = await client.CallToolAsync("no_such_tool", new Dictionary<string, object?> { ["item"] = "x" });

        Assert.True(result.IsError);
        var e = Assert.Single(server.Passports.Sink.Events.Skip(events));
        Assert.Equal(PassportAuditEventKind.UnknownTool, e.Kind);
        Assert.Null(e.AgentId);
    }

    [Fact]
    public async Task A_100_link_meta_chain_is_refused_by_the_depth_cap()
    {
        await using var client = await server.ConnectAsync();
        var events = server.Passports.Sink.Events.Count;
        var chain = new JsonArray([.. Enumerable.Repeat(server.Carol.ChainTokens[0], 100).Select(t => (JsonNode)JsonValue.Create(t))]);

        var result = await client.CallToolAsync(Call(new JsonObject { [PassportMcpWire.MetaTokenKey] = server.Carol.Token, [PassportMcpWire.MetaChainKey] = chain }));

        Assert.True(result.IsError);
        var e = Assert.Single(server.Passports.Sink.Events.Skip(events));
        Assert.Equal(PassportErrorKind.ChainBroken, e.ErrorKind);
        Assert.Equal(ChainBrokenReason.DepthExceeded, e.ChainReason);
    }

    [Fact]
    public async Task An_oversized_meta_chain_entry_is_refused_before_it_is_read()
    {
        await using var client = await server.ConnectAsync();
        var events = server.Passports.Sink.Events.Count;
        var chain = new JsonArray(JsonValue.Create(server.Carol.ChainTokens[0]), JsonValue.Create(new string('A', PassportLimits.MaxTokenBytes + 1)));

        var result = await client.CallToolAsync(Call(new JsonObject { [PassportMcpWire.MetaTokenKey] = server.Carol.Token, [PassportMcpWire.MetaChainKey] = chain }));

        Assert.True(result.IsError);
        var e = Assert.Single(server.Passports.Sink.Events.Skip(events));
        Assert.Equal(PassportErrorKind.InvalidToken, e.ErrorKind);
    }

    [Fact]
    public async Task A_20_entry_chain_header_is_refused_by_the_depth_cap()
    {
        var headers = McpServerFixture.Headers(server.Carol);
        headers[PassportMcpWire.ChainHeaderName] = string.Join(',', Enumerable.Repeat(server.Carol.ChainTokens[0], 20)); // Kestrel caps headers at 32 KB
        await using var client = await server.ConnectAsync(headers);
        var events = server.Passports.Sink.Events.Count;

        var result = await client.CallToolAsync("flights_book", new Dictionary<string, object?> { ["item"] = "x" });

        Assert.True(result.IsError);
        var e = Assert.Single(server.Passports.Sink.Events.Skip(events));
        Assert.Equal(ChainBrokenReason.DepthExceeded, e.ChainReason);
    }

    private static CallToolRequestParams Call(JsonObject meta) =>
        new() { Name = "flights_book", Arguments = new Dictionary<string, JsonElement> { ["item"] = JsonSerializer.SerializeToElement("SFO-JFK") }, Meta = meta };
}

/// <summary>HTTP transport settings under which a call's own credentials cannot be read are refused at setup.</summary>
public sealed class McpTransportSetupTests
{
    [Fact]
    public async Task Legacy_SSE_is_refused_when_the_transport_is_mapped()
    {
        using var f = new PassportFixture();
        await using var app = App(f, o =>
        {
            o.SessionMode = HttpServerSessionMode.Stateful;
#pragma warning disable MCP9004
            o.EnableLegacySse = true;
#pragma warning restore MCP9004
        });

        var error = Assert.Throws<InvalidOperationException>(() => app.MapMcp("/mcp"));

        Assert.Contains("EnableLegacySse", error.Message, StringComparison.Ordinal);
        Assert.Contains("Streamable HTTP", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(HttpServerSessionMode.Stateful)]
    [InlineData(HttpServerSessionMode.Stateless)]
    public async Task A_per_session_execution_context_is_refused_when_the_transport_is_mapped(HttpServerSessionMode mode)
    {
        using var f = new PassportFixture();
        await using var app = App(f, o =>
        {
            o.SessionMode = mode;
#pragma warning disable MCP9006
            o.PerSessionExecutionContext = true;
#pragma warning restore MCP9006
        });

        var error = Assert.Throws<InvalidOperationException>(() => app.MapMcp("/mcp"));

        Assert.Contains("PerSessionExecutionContext", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Legacy_SSE_is_refused_at_host_start_even_when_nothing_is_mapped()
    {
        using var f = new PassportFixture();
        await using var app = App(f, o =>
        {
            o.SessionMode = HttpServerSessionMode.Stateful;
#pragma warning disable MCP9004
            o.EnableLegacySse = true;
#pragma warning restore MCP9004
        });

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => app.StartAsync());

        Assert.Contains("EnableLegacySse", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_default_Streamable_HTTP_settings_start()
    {
        using var f = new PassportFixture();
        await using var app = App(f, o => o.SessionMode = HttpServerSessionMode.Stateful);

        app.MapMcp("/mcp");
        await app.StartAsync();
        await app.StopAsync();
    }

    internal static WebApplication App(PassportFixture f, Action<HttpServerTransportOptions> transport, bool withoutSetupGuard = false)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));
        builder.Services.AddSingleton(f.Authorizer);
        builder.Services.AddSingleton(new McpToolRuns());
        builder.Services.AddMcpServer()
            .WithHttpTransport(transport)
            .WithTools<TravelMcpTools>()
            .AddAgentPassport(o => o.Audience = McpServerFixture.McpAudience);
        if (withoutSetupGuard)
        {
            var guard = builder.Services.Single(d => d.ImplementationType?.Name == "PassportMcpTransportGuard");
            builder.Services.Remove(guard);
        }

        return builder.Build();
    }
}

/// <summary>
/// Defence in depth behind the setup refusal: with the guard removed and legacy SSE enabled, a call's handler runs in the
/// GET /sse request, and the stream opener's Authorization header is never used to decide a POST /message call.
/// </summary>
public sealed class McpLegacySseBypassTests : IAsyncLifetime, IDisposable
{
    private readonly PassportFixture _f = new(includeDetailedDenials: true);
    private WebApplication? _app;
    private Uri _endpoint = null!;
    private PassportContext _alice = null!;
    private PassportContext _carol = null!;

    public async Task InitializeAsync()
    {
        (_alice, _, _carol) = await _f.AliceBobCarolAsync(McpServerFixture.McpAudience);
        _app = McpTransportSetupTests.App(_f, o =>
        {
            o.SessionMode = HttpServerSessionMode.Stateful;
#pragma warning disable MCP9004
            o.EnableLegacySse = true;
#pragma warning restore MCP9004
        }, withoutSetupGuard: true);
        _app.MapMcp("/mcp");
        await _app.StartAsync();
        var address = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        _endpoint = new Uri(address.TrimEnd('/') + "/mcp/sse");
    }

    [Fact]
    public async Task The_stream_openers_header_never_decides_a_call()
    {
        await using var client = await McpClient.CreateAsync(new HttpClientTransport(new HttpClientTransportOptions
        {
            Endpoint = _endpoint,
            TransportMode = HttpTransportMode.Sse,
            AdditionalHeaders = McpServerFixture.Headers(_alice),
        }));
        var runs = _app!.Services.GetRequiredService<McpToolRuns>();

        var withoutMeta = await client.CallToolAsync("payments_charge_never", new Dictionary<string, object?> { ["item"] = "x" });
        var hotels = await client.CallToolAsync("hotels_book", new Dictionary<string, object?> { ["item"] = "x" });
        var asCarol = await client.CallToolAsync(new CallToolRequestParams
        {
            Name = "flights_book",
            Arguments = new Dictionary<string, JsonElement> { ["item"] = JsonSerializer.SerializeToElement("SFO-JFK") },
            Meta = new JsonObject
            {
                [PassportMcpWire.MetaTokenKey] = _carol.Token,
                [PassportMcpWire.MetaChainKey] = new JsonArray([.. _carol.ChainTokens.Select(t => (JsonNode)JsonValue.Create(t))]),
            },
        });

        Assert.True(withoutMeta.IsError);
        Assert.True(hotels.IsError);                // Alice's header (the stream opener's) would have allowed it
        Assert.NotEqual(true, asCarol.IsError);     // decided with the call's own _meta Passport
        Assert.Equal(0, runs.Runs("hotels_book"));
        Assert.Equal(1, runs.Runs("flights_book"));
        Assert.Equal(["- unknown -", "- denied hotels:book", "agent:carol allowed flights:book"], _f.Sink.Events
            .Where(e => e.Kind != PassportAuditEventKind.Minted)
            .Select(e => $"{e.AgentId ?? "-"} {e.Kind switch { PassportAuditEventKind.Allowed => "allowed", PassportAuditEventKind.UnknownTool => "unknown", _ => "denied" }} {e.RequiredScope ?? "-"}"));
        Assert.Contains("another HTTP request", Text(hotels), StringComparison.Ordinal);
    }

    public async Task DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
    }

    public void Dispose() => _f.Dispose();

    private static string Text(CallToolResult result) => string.Concat(result.Content.OfType<TextContentBlock>().Select(t => t.Text));
}
