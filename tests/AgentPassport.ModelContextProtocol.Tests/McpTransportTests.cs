using System.IO.Pipelines;
using System.Text.Json;
using System.Text.Json.Nodes;
using AgentPassport.ModelContextProtocol;
using AgentPassport.ModelContextProtocol.Tests.Support;
using AgentPassport.TestSupport.Adapters;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;

namespace AgentPassport.ModelContextProtocol.Tests;

/// <summary>Stateful Streamable HTTP sessions read the Passport of each request.</summary>
public sealed class McpStatefulHttpTests(McpStatefulServerFixture server) : IClassFixture<McpStatefulServerFixture>
{
    private static readonly Dictionary<string, object?> Args = new() { ["item"] = "SFO-JFK" };

    [Fact]
    public async Task Allowed_and_denied_calls_in_a_stateful_session()
    {
        await using var client = await server.ConnectAsync(McpServerFixture.Headers(server.Carol));
        var runs = server.Runs.Total;

        var tools = await client.ListToolsAsync();
        var allowed = await client.CallToolAsync("flights_book", Args);
        var denied = await client.CallToolAsync("hotels_book", Args);

        Assert.NotNull(client.SessionId);
        Assert.Equal(["flights_book"], tools.Select(t => t.Name));
        Assert.NotEqual(true, allowed.IsError);
        Assert.True(denied.IsError);
        Assert.Equal(runs + 1, server.Runs.Total);
    }

    [Fact]
    public async Task No_Passport_in_a_stateful_session_is_denied()
    {
        await using var client = await server.ConnectAsync();
        var runs = server.Runs.Total;

        var result = await client.CallToolAsync("flights_book", Args);

        Assert.True(result.IsError);
        Assert.Equal(runs, server.Runs.Total);
    }
}

/// <summary>An MCP server with Agent Passport but no authorizer does not start.</summary>
public sealed class McpConfigurationTests
{
    [Fact]
    public async Task Server_without_an_authorizer_fails_at_startup()
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Services.AddMcpServer().WithStreamServerTransport(new MemoryStream(), new MemoryStream()).WithTools<TravelMcpTools>().AddAgentPassport();
        using var host = builder.Build();

        var error = await Assert.ThrowsAsync<Microsoft.Extensions.Options.OptionsValidationException>(() => host.StartAsync());
        Assert.Contains("PassportAuthorizer", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_pattern_mapped_scope_fails_at_startup()
    {
        using var f = new PassportFixture();
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Services.AddSingleton(f.Authorizer);
        builder.Services.AddMcpServer().WithStreamServerTransport(new MemoryStream(), new MemoryStream()).WithTools<TravelMcpTools>()
            .AddAgentPassport(o => o.ToolScopes["payments_charge"] = "payments:*");
        using var host = builder.Build();

        await Assert.ThrowsAsync<Microsoft.Extensions.Options.OptionsValidationException>(() => host.StartAsync());
    }
}

/// <summary>
/// The stdio-style stream transport (no HTTP): the Passport travels in the request's <c>_meta</c>.
/// </summary>
public sealed class McpStreamTransportTests : IAsyncLifetime, IDisposable
{
    private readonly PassportFixture _f = new();
    private readonly McpToolRuns _runs = new();
    private readonly Pipe _toServer = new();
    private readonly Pipe _toClient = new();
    private IHost? _host;
    private McpClient? _client;
    private PassportContext _carol = null!;

    public async Task InitializeAsync()
    {
        (_, _, _carol) = await _f.AliceBobCarolAsync(McpServerFixture.McpAudience);
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Services.AddSingleton(_f.Authorizer);
        builder.Services.AddSingleton(_runs);
        builder.Services.AddMcpServer()
            .WithStreamServerTransport(_toServer.Reader.AsStream(), _toClient.Writer.AsStream())
            .WithTools<TravelMcpTools>()
            .AddAgentPassport(o => o.Audience = McpServerFixture.McpAudience);
        _host = builder.Build();
        await _host.StartAsync();
        _client = await McpClient.CreateAsync(new StreamClientTransport(_toServer.Writer.AsStream(), _toClient.Reader.AsStream()));
    }

    [Fact]
    public async Task Meta_Passport_lists_and_runs_only_what_it_allows()
    {
        var tools = await _client!.ListToolsAsync(new ListToolsRequestParams { Meta = Meta(_carol.Token, _carol.ChainTokens) });
        var allowed = await _client.CallToolAsync(Call("flights_book", Meta(_carol.Token, _carol.ChainTokens)));
        var denied = await _client.CallToolAsync(Call("hotels_book", Meta(_carol.Token, _carol.ChainTokens)));

        Assert.Equal(["flights_book"], tools.Tools.Select(t => t.Name));
        Assert.NotEqual(true, allowed.IsError);
        Assert.True(denied.IsError);
        Assert.Equal(1, _runs.Total);
        Assert.Equal([PassportAuditEventKind.Allowed, PassportAuditEventKind.Denied], _f.Sink.Events.Where(e => e.Kind != PassportAuditEventKind.Minted).Select(e => e.Kind));
    }

    [Fact]
    public async Task Without_meta_every_call_is_denied()
    {
        var tools = await _client!.ListToolsAsync();
        var result = await _client.CallToolAsync("flights_book", new Dictionary<string, object?> { ["item"] = "x" });

        Assert.Empty(tools);
        Assert.True(result.IsError);
        Assert.Equal(0, _runs.Total);
    }

    [Fact]
    public async Task A_chain_that_is_not_an_array_of_strings_is_denied()
    {
        var meta = new JsonObject { [PassportMcpWire.MetaTokenKey] = _carol.Token, [PassportMcpWire.MetaChainKey] = string.Join(',', _carol.ChainTokens) };

        var result = await _client!.CallToolAsync(Call("flights_book", meta));

        Assert.True(result.IsError);
        Assert.Equal(0, _runs.Total);
        Assert.Equal(PassportErrorKind.InvalidToken, _f.Sink.Events[^1].ErrorKind);
    }

    [Fact]
    public async Task A_forged_tool_name_is_one_UnknownTool_event_and_prints_no_tree_line()
    {
        const string forged = "nope\n    └── ALLOWED payments:charge (payments_charge)";

        var result = await _client!.CallToolAsync(Call(forged, Meta(_carol.Token, _carol.ChainTokens)));

        Assert.True(result.IsError);
        Assert.Equal(0, _runs.Total);
        var e = Assert.Single(_f.Sink.Events, e => e.Kind != PassportAuditEventKind.Minted);
        Assert.Equal(PassportAuditEventKind.UnknownTool, e.Kind);
        Assert.Equal("agent:carol", e.AgentId);
        Assert.DoesNotContain('\n', string.Concat(result.Content.OfType<TextContentBlock>().Select(t => t.Text)));
        var tree = DelegationTree.Build(_f.Sink.Events).ToText();
        Assert.DoesNotContain(tree.Split('\n'), l => l.TrimStart(' ', '│').StartsWith("└── ALLOWED", StringComparison.Ordinal));
        Assert.Contains(@"UNKNOWN TOOL nope\u000A    └── ALLOWED", tree, StringComparison.Ordinal);
    }

    public async Task DisposeAsync()
    {
        if (_client is not null)
        {
            await _client.DisposeAsync();
        }

        if (_host is not null)
        {
            await _host.StopAsync();
            _host.Dispose();
        }
    }

    public void Dispose() => _f.Dispose();

    private static CallToolRequestParams Call(string name, JsonObject meta) =>
        new() { Name = name, Arguments = new Dictionary<string, JsonElement> { ["item"] = JsonSerializer.SerializeToElement("SFO-JFK") }, Meta = meta };

    private static JsonObject Meta(string token, IEnumerable<string> chain) => new()
    {
        [PassportMcpWire.MetaTokenKey] = token,
        [PassportMcpWire.MetaChainKey] = new JsonArray([.. chain.Select(t => (JsonNode)JsonValue.Create(t))]),
    };
}
