using System.IO.Pipelines;
using System.Text.Json.Nodes;
using AgentPassport.ModelContextProtocol.Tests.Support;
using AgentPassport.TestSupport.Adapters;
using AgentPassport.ModelContextProtocol;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;

namespace AgentPassport.ModelContextProtocol.Tests;

/// <summary>
/// The one registration: <c>services.AddAgentPassport(...)</c> builds the shared verifier, authorizer, sink and clock from
/// the registered keys, and <c>.AddModelContextProtocol()</c> adds only the MCP filters over them.
/// </summary>
public sealed class McpRegistrationTests
{
    [Fact]
    public async Task AddAgentPassport_then_AddModelContextProtocol_enforces_with_the_registered_services_once()
    {
        using var f = new PassportFixture();
        var (_, _, carol) = await f.AliceBobCarolAsync(McpServerFixture.McpAudience);
        var runs = new McpToolRuns();
        var sink = new InMemoryPassportAuditSink();
        var toServer = new Pipe();
        var toClient = new Pipe();
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Services.AddSingleton<IPassportKeyResolver>(f.Keys).AddSingleton<TimeProvider>(f.Time).AddSingleton<IPassportAuditSink>(sink).AddSingleton(runs);
        for (int i = 0; i < 2; i++)
        {
            // Registered twice on purpose: the MCP filters must still decide (and audit) each call once.
            builder.Services.AddAgentPassport(o => o.Policy = new VerificationPolicy(PassportFixture.IssuerUrl, PassportFixture.ToolsAudience))
                .AddModelContextProtocol(o => o.Audience = McpServerFixture.McpAudience);
        }

        builder.Services.AddMcpServer()
            .WithStreamServerTransport(toServer.Reader.AsStream(), toClient.Writer.AsStream())
            .WithTools<TravelMcpTools>();
        using var host = builder.Build();
        await host.StartAsync();
        await using var client = await McpClient.CreateAsync(new StreamClientTransport(toServer.Writer.AsStream(), toClient.Reader.AsStream()));
        var meta = new JsonObject { [PassportMcpWire.MetaTokenKey] = carol.Token, [PassportMcpWire.MetaChainKey] = new JsonArray([.. carol.ChainTokens.Select(t => (JsonNode)t)]) };

        var tools = await client.ListToolsAsync(new ListToolsRequestParams { Meta = (JsonObject)meta.DeepClone() });
        var allowed = await client.CallToolAsync(new CallToolRequestParams { Name = "flights_book", Arguments = Args(), Meta = (JsonObject)meta.DeepClone() });
        var denied = await client.CallToolAsync(new CallToolRequestParams { Name = "hotels_book", Arguments = Args(), Meta = (JsonObject)meta.DeepClone() });
        await host.StopAsync();

        Assert.Equal(["flights_book"], tools.Tools.Select(t => t.Name));
        Assert.NotEqual(true, allowed.IsError);
        Assert.True(denied.IsError);
        Assert.Equal(1, runs.Total);
        Assert.Equal([PassportAuditEventKind.Allowed, PassportAuditEventKind.Denied], sink.Events.Select(e => e.Kind));
        Assert.Same(sink, host.Services.GetRequiredService<PassportAuthorizer>().AuditSink);
    }

    private static Dictionary<string, System.Text.Json.JsonElement> Args() =>
        new() { ["item"] = System.Text.Json.JsonSerializer.SerializeToElement("SFO-JFK") };
}
