using System.Text.Json;
using System.Text.Json.Nodes;
using AgentPassport.Integrations.Tests.HeldOut.Support;
using AgentPassport.ModelContextProtocol;
using ModelContextProtocol.AspNetCore;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;

// Legacy SSE and the per-session execution context are obsolete in MCP 2.4 but still shipped and enabled by
// configuration: a security adapter must enforce them correctly or refuse them, so they are exercised here.
#pragma warning disable MCP9004, MCP9006

namespace AgentPassport.Integrations.Tests.HeldOut;

/// <summary>
/// Issue 12 item 2 and the MCP "also fix" items: the credentials of the request that carries a tools/call decide it —
/// not those of the stream that was opened first (legacy SSE), not those of the session's first request
/// (PerSessionExecutionContext) — or the server refuses to start. Header and _meta credentials that disagree never run a tool.
/// </summary>
[Trait("Category", "HeldOut")]
public sealed class McpCredentialTests
{
    public static TheoryData<string, bool, string> CarolCalls() => new()
    {
        { "payments_charge", false, "payments:charge" },
        { "hotels_book", false, "hotels:book" },
        { "flights_book", true, "flights:book" },
    };

    [Theory]
    [MemberData(nameof(CarolCalls))]
    public async Task Legacy_SSE_stream_opened_by_Alice_calls_posted_with_Carols_Passport(string call, bool allowed, string scope)
    {
        using var w = await HeldOutWorld.CreateAsync();
        await RunAsync(w, o => { o.SessionMode = HttpServerSessionMode.Stateful; o.EnableLegacySse = true; }, HttpTransportMode.Sse, stream: w.Alice, initialize: w.Carol, calls: w.Carol, call, "agent:carol", allowed, scope);
    }

    [Theory]
    [MemberData(nameof(CarolCalls))]
    public async Task Legacy_SSE_stream_opened_without_credentials_calls_posted_with_Carols_Passport(string call, bool allowed, string scope)
    {
        using var w = await HeldOutWorld.CreateAsync();
        await RunAsync(w, o => { o.SessionMode = HttpServerSessionMode.Stateful; o.EnableLegacySse = true; }, HttpTransportMode.Sse, stream: null, initialize: w.Carol, calls: w.Carol, call, "agent:carol", allowed, scope);
    }

    [Fact]
    public async Task Legacy_SSE_stream_opened_by_Carol_calls_posted_without_credentials()
    {
        using var w = await HeldOutWorld.CreateAsync();
        await RunAsync(w, o => { o.SessionMode = HttpServerSessionMode.Stateful; o.EnableLegacySse = true; }, HttpTransportMode.Sse, stream: w.Carol, initialize: null, calls: null, "flights_book", executor: null, allowed: false, "flights:book");
    }

    [Theory]
    [MemberData(nameof(CarolCalls))]
    public async Task PerSessionExecutionContext_session_initialized_by_Alice_calls_posted_by_Carol(string call, bool allowed, string scope)
    {
        using var w = await HeldOutWorld.CreateAsync();
        await RunAsync(w, o => { o.SessionMode = HttpServerSessionMode.Stateful; o.PerSessionExecutionContext = true; }, HttpTransportMode.StreamableHttp, stream: w.Alice, initialize: w.Alice, calls: w.Carol, call, "agent:carol", allowed, scope);
    }

    [Theory]
    [MemberData(nameof(CarolCalls))]
    public async Task PerSessionExecutionContext_with_Carols_Passport_on_every_request(string call, bool allowed, string scope)
    {
        // Today header credentials are silently ignored here (fails closed: even allowed calls are denied).
        using var w = await HeldOutWorld.CreateAsync();
        await RunAsync(w, o => { o.SessionMode = HttpServerSessionMode.Stateful; o.PerSessionExecutionContext = true; }, HttpTransportMode.StreamableHttp, stream: w.Carol, initialize: w.Carol, calls: w.Carol, call, "agent:carol", allowed, scope);
    }

    [Theory]
    [MemberData(nameof(CarolCalls))]
    public async Task Stateful_session_initialized_by_Alice_calls_posted_by_Carol(string call, bool allowed, string scope)
    {
        using var w = await HeldOutWorld.CreateAsync();
        await RunAsync(w, o => o.SessionMode = HttpServerSessionMode.Stateful, HttpTransportMode.StreamableHttp, stream: w.Alice, initialize: w.Alice, calls: w.Carol, call, "agent:carol", allowed, scope);
    }

    [Theory]
    [InlineData("carol", "alice", "payments_charge")]
    [InlineData("alice", "carol", "payments_charge")]
    [InlineData("bob", "carol", "hotels_book")]
    [InlineData("carol", "bob", "hotels_book")]
    public async Task Header_and_meta_credentials_that_disagree_never_run_the_tool(string header, string meta, string call)
    {
        using var w = await HeldOutWorld.CreateAsync();
        var headerPassport = w.Of("agent:" + header);
        var metaPassport = w.Of("agent:" + meta);
        HeldOutMcpServer server;
        try
        {
            server = await HeldOutMcpServer.StartAsync(w, o => o.SessionMode = HttpServerSessionMode.Stateless);
        }
        catch (Exception e) when (HeldOutWorld.IsSetupRefusal(e))
        {
            return;
        }

        await using (server)
        {
            await using var client = await server.ConnectAsync(HttpTransportMode.StreamableHttp, headerPassport, headerPassport, headerPassport);
            var result = await client.CallToolAsync(Call(call, Meta(metaPassport)));

            Assert.True(result.IsError);
            Assert.Equal(0, w.Bodies.Total);
            var decision = Assert.Single(w.Decisions());
            Assert.Equal(PassportAuditEventKind.Denied, decision.Kind);
        }
    }

    [Theory]
    [MemberData(nameof(CarolCalls))]
    public async Task Header_and_meta_credentials_that_agree(string call, bool allowed, string scope)
    {
        using var w = await HeldOutWorld.CreateAsync();
        await RunAsync(w, o => o.SessionMode = HttpServerSessionMode.Stateless, HttpTransportMode.StreamableHttp, w.Carol, w.Carol, w.Carol, call, "agent:carol", allowed, scope, Meta(w.Carol));
    }

    [Theory]
    [MemberData(nameof(CarolCalls))]
    public async Task Meta_credentials_only_over_HTTP(string call, bool allowed, string scope)
    {
        using var w = await HeldOutWorld.CreateAsync();
        await RunAsync(w, o => o.SessionMode = HttpServerSessionMode.Stateless, HttpTransportMode.StreamableHttp, null, null, null, call, "agent:carol", allowed, scope, Meta(w.Carol));
    }

    [Fact]
    public async Task Meta_credentials_on_a_legacy_SSE_stream_opened_by_Alice()
    {
        // The POST carries no header but Carol's _meta; the stream opener is Alice.
        using var w = await HeldOutWorld.CreateAsync();
        await RunAsync(w, o => { o.SessionMode = HttpServerSessionMode.Stateful; o.EnableLegacySse = true; }, HttpTransportMode.Sse, w.Alice, null, null, "payments_charge", "agent:carol", false, "payments:charge", Meta(w.Carol));
    }

    private static async Task RunAsync(HeldOutWorld w, Action<global::ModelContextProtocol.AspNetCore.HttpServerTransportOptions> transport, HttpTransportMode mode,
        PassportContext? stream, PassportContext? initialize, PassportContext? calls, string call, string? executor, bool allowed, string scope, JsonObject? meta = null)
    {
        HeldOutMcpServer? server = null;
        CallToolResult? result = null;
        try
        {
            var checkedRun = await w.CheckAsync(async () =>
            {
                server = await HeldOutMcpServer.StartAsync(w, transport);
                var running = server;
                return async () =>
                {
                    await using var client = await running.ConnectAsync(mode, stream, initialize, calls);
                    result = await client.CallToolAsync(Call(call, meta));
                };
            }, executor, new Attempt(call, allowed, scope));

            if (checkedRun)
            {
                Assert.Equal(!allowed, result?.IsError == true);
            }
        }
        finally
        {
            if (server is not null)
            {
                await server.DisposeAsync();
            }
        }
    }

    private static CallToolRequestParams Call(string name, JsonObject? meta) =>
        new() { Name = name, Arguments = new Dictionary<string, JsonElement> { ["item"] = JsonSerializer.SerializeToElement("SFO-JFK") }, Meta = meta };

    private static JsonObject Meta(PassportContext passport) => new()
    {
        [PassportMcpWire.MetaTokenKey] = passport.Token,
        [PassportMcpWire.MetaChainKey] = new JsonArray([.. passport.ChainTokens.Select(t => (JsonNode)JsonValue.Create(t))]),
    };
}
