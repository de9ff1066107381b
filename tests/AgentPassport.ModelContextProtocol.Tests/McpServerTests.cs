using System.Text.Json.Nodes;
using AgentPassport.ModelContextProtocol;
using AgentPassport.ModelContextProtocol.Tests.Support;
using AgentPassport.TestSupport.Adapters;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;

namespace AgentPassport.ModelContextProtocol.Tests;

/// <summary>The official MCP C# client against a Passport-enforcing MCP server on loopback (Streamable HTTP).</summary>
public sealed class McpServerTests(McpServerFixture server) : IClassFixture<McpServerFixture>
{
    private static readonly Dictionary<string, object?> Args = new() { ["item"] = "SFO-JFK" };

    [Fact]
    public async Task Good_Passport_lists_only_its_tools_and_its_allowed_call_runs()
    {
        await using var client = await server.ConnectAsync(McpServerFixture.Headers(server.Carol));
        var before = Mark();

        var tools = await client.ListToolsAsync();
        var result = await client.CallToolAsync("flights_book", Args);

        Assert.Equal(["flights_book"], tools.Select(t => t.Name));
        Assert.NotEqual(true, result.IsError);
        Assert.Equal("flights_book done for SFO-JFK", Text(result));
        Assert.Equal(before.Runs + 1, server.Runs.Runs("flights_book"));
        Assert.Equal(["agent:carol allowed flights:book"], Since(before));
    }

    [Fact]
    public async Task Broad_Passport_lists_mapped_and_attributed_tools_but_never_a_tool_without_a_scope()
    {
        await using var client = await server.ConnectAsync(McpServerFixture.Headers(server.Alice));
        var before = Mark();

        var tools = await client.ListToolsAsync();
        var charge = await client.CallToolAsync("payments_charge", Args);
        var reset = await client.CallToolAsync("admin_reset", Args);

        Assert.Equal(["flights_book", "hotels_book", "payments_charge"], tools.Select(t => t.Name).Order(StringComparer.Ordinal));
        Assert.NotEqual(true, charge.IsError);
        Assert.True(reset.IsError);
        Assert.Equal(0, server.Runs.Runs("admin_reset"));
        Assert.Equal(["agent:alice allowed payments:charge", "agent:alice denied -"], Since(before));
    }

    [Fact]
    public async Task Under_scoped_call_returns_an_error_result_and_never_runs()
    {
        await using var client = await server.ConnectAsync(McpServerFixture.Headers(server.Carol));
        var before = Mark();

        var result = await client.CallToolAsync("hotels_book", Args);

        Assert.True(result.IsError);
        Assert.Equal("DENIED by Agent Passport: 'hotels_book' was not run; it requires scope 'hotels:book'.", Text(result));
        Assert.True(result.Meta?[PassportMcpWire.MetaDeniedKey]?.GetValue<bool>());
        Assert.Equal(before.Total, server.Runs.Total);
        Assert.Equal(["agent:carol denied hotels:book"], Since(before));
        Assert.Equal(PassportErrorKind.ScopeViolation, server.Passports.Sink.Events[^1].ErrorKind);
    }

    [Fact]
    public async Task Overbroad_wildcard_Passport_is_denied_and_lists_nothing()
    {
        var everything = await server.Passports.Delegator.IssueRootAsync(new RootPassportRequest
        {
            Identity = PassportFixture.Identity(),
            AgentId = "agent:greedy",
            AgentModel = "model-g",
            Audience = McpServerFixture.McpAudience,
            ToolScope = ["*"],
        });
        await using var client = await server.ConnectAsync(McpServerFixture.Headers(everything));
        var before = Mark();

        var tools = await client.ListToolsAsync();
        var result = await client.CallToolAsync("flights_book", Args);

        Assert.Empty(tools);
        Assert.True(result.IsError);
        Assert.Equal(before.Total, server.Runs.Total);
        Assert.Equal(PassportErrorKind.WildcardScopeNotAllowed, Assert.Single(server.Passports.Sink.Events.Skip(before.Events)).ErrorKind);
    }

    [Fact]
    public async Task Wrong_audience_is_denied_and_lists_nothing()
    {
        await using var client = await server.ConnectAsync(McpServerFixture.Headers(server.CarolElsewhere));
        var before = Mark();

        var tools = await client.ListToolsAsync();
        var result = await client.CallToolAsync("flights_book", Args);

        Assert.Empty(tools);
        Assert.True(result.IsError);
        Assert.Equal(before.Total, server.Runs.Total);
        Assert.Equal(PassportErrorKind.AudienceMismatch, Assert.Single(server.Passports.Sink.Events.Skip(before.Events)).ErrorKind);
    }

    [Fact]
    public async Task Tampered_Passport_is_denied()
    {
        var parts = server.Carol.Token.Split('.');
        var tampered = new PassportContext($"{parts[0]}.{parts[1]}.{(parts[2][0] == 'A' ? 'B' : 'A')}{parts[2][1..]}", server.Carol.ChainTokens);
        await using var client = await server.ConnectAsync(McpServerFixture.Headers(tampered));
        var before = Mark();

        var tools = await client.ListToolsAsync();
        var result = await client.CallToolAsync("flights_book", Args);

        Assert.Empty(tools);
        Assert.True(result.IsError);
        Assert.Equal(before.Total, server.Runs.Total);
        Assert.Equal(PassportErrorKind.InvalidSignature, Assert.Single(server.Passports.Sink.Events.Skip(before.Events)).ErrorKind);
    }

    [Fact]
    public async Task Missing_chain_header_is_denied()
    {
        await using var client = await server.ConnectAsync(McpServerFixture.Headers(server.Carol, withChain: false));
        var before = Mark();

        var result = await client.CallToolAsync("flights_book", Args);

        Assert.True(result.IsError);
        Assert.Equal(before.Total, server.Runs.Total);
        Assert.Equal(PassportErrorKind.ChainBroken, Assert.Single(server.Passports.Sink.Events.Skip(before.Events)).ErrorKind);
    }

    [Fact]
    public async Task No_Passport_lists_nothing_and_every_call_is_denied()
    {
        await using var client = await server.ConnectAsync();
        var before = Mark();

        var tools = await client.ListToolsAsync();
        var result = await client.CallToolAsync("flights_book", Args);

        Assert.Empty(tools);
        Assert.True(result.IsError);
        Assert.Equal(before.Total, server.Runs.Total);
        Assert.Equal(PassportErrorKind.NoPassport, Assert.Single(server.Passports.Sink.Events.Skip(before.Events)).ErrorKind);
    }

    [Fact]
    public async Task Malformed_Authorization_header_is_denied()
    {
        await using var client = await server.ConnectAsync(new Dictionary<string, string> { ["Authorization"] = "Basic " + server.Carol.Token });
        var before = Mark();

        var result = await client.CallToolAsync("flights_book", Args);

        Assert.True(result.IsError);
        Assert.Equal(before.Total, server.Runs.Total);
        var denial = Assert.Single(server.Passports.Sink.Events.Skip(before.Events));
        Assert.Equal(PassportErrorKind.InvalidToken, denial.ErrorKind);
        Assert.Equal("flights:book", denial.RequiredScope); // the tool's scope is recorded even when the credential is unreadable
    }

    [Fact]
    public async Task Passport_in_request_meta_works_like_the_headers()
    {
        await using var client = await server.ConnectAsync();
        var before = Mark();

        var tools = await client.ListToolsAsync(new ListToolsRequestParams { Meta = Meta(server.Bob) });
        var allowed = await client.CallToolAsync(new CallToolRequestParams { Name = "hotels_book", Arguments = Json(), Meta = Meta(server.Bob) });
        var denied = await client.CallToolAsync(new CallToolRequestParams { Name = "payments_charge", Arguments = Json(), Meta = Meta(server.Bob) });

        Assert.Equal(["flights_book", "hotels_book"], tools.Tools.Select(t => t.Name).Order(StringComparer.Ordinal));
        Assert.NotEqual(true, allowed.IsError);
        Assert.True(denied.IsError);
        Assert.Equal(before.HotelRuns + 1, server.Runs.Runs("hotels_book"));
        Assert.Equal(["agent:bob allowed hotels:book", "agent:bob denied payments:charge"], Since(before));
    }

    [Fact]
    public async Task Two_different_Passports_in_one_request_are_denied()
    {
        await using var client = await server.ConnectAsync(McpServerFixture.Headers(server.Carol));
        var before = Mark();

        var result = await client.CallToolAsync(new CallToolRequestParams { Name = "flights_book", Arguments = Json(), Meta = Meta(server.Alice) });

        Assert.True(result.IsError);
        Assert.Equal(before.Total, server.Runs.Total);
    }

    private static JsonObject Meta(PassportContext passport) => new()
    {
        [PassportMcpWire.MetaTokenKey] = passport.Token,
        [PassportMcpWire.MetaChainKey] = new JsonArray([.. passport.ChainTokens.Select(t => (JsonNode)JsonValue.Create(t))]),
    };

    private static Dictionary<string, System.Text.Json.JsonElement> Json() =>
        new() { ["item"] = System.Text.Json.JsonSerializer.SerializeToElement("SFO-JFK") };

    private static string Text(CallToolResult result) => string.Concat(result.Content.OfType<TextContentBlock>().Select(t => t.Text));

    private Marker Mark() => new(server.Passports.Sink.Events.Count, server.Runs.Total, server.Runs.Runs("flights_book"), server.Runs.Runs("hotels_book"));

    private IReadOnlyList<string> Since(Marker marker) => server.Passports.Sink.Events.Skip(marker.Events)
        .Select(e => $"{e.AgentId} {(e.Kind == PassportAuditEventKind.Allowed ? "allowed" : "denied")} {e.RequiredScope ?? "-"}")
        .ToList();

    private sealed record Marker(int Events, int Total, int Runs, int HotelRuns);
}
