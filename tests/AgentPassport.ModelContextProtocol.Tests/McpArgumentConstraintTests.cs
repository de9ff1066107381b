using System.ComponentModel;
using AgentPassport.ModelContextProtocol.Tests.Support;
using AgentPassport.TestSupport.Adapters;
using Microsoft.Extensions.DependencyInjection;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace AgentPassport.ModelContextProtocol.Tests;

/// <summary>
/// Argument constraints at the MCP adapter, through the official client on loopback: Carol may book fares only for
/// amount ≤ 500 to JFK or LGA. The filter hands the authorizer the <c>tools/call</c> arguments, read by the tool's input
/// schema (a number sent as a string is that number); a call outside the limits is an error result and never runs.
/// </summary>
public sealed class McpArgumentConstraintTests(McpArgumentConstraintTests.Server server) : IClassFixture<McpArgumentConstraintTests.Server>
{
    public sealed class Server : McpServerFixture
    {
        protected override IMcpServerBuilder AddTools(IMcpServerBuilder server) => base.AddTools(server).WithTools<FareTools>();
    }

    [McpServerToolType]
    public sealed class FareTools(McpToolRuns runs)
    {
        [McpServerTool(Name = "flights_fare"), Description("Books a fare."), PassportScope("flights:book")]
        public string BookFare(string dest, decimal amount) => runs.Hit("flights_fare", $"{dest} {amount}");
    }

    [Theory]
    [InlineData("JFK", 900, false)]
    [InlineData("SFO", 400, false)]
    [InlineData("JFK", 400, true)]
    [InlineData("LGA", "500", true)]
    [InlineData("LGA", "500.5", false)]
    public async Task ACallOutsideTheLimits_IsAnErrorResult_AndNeverRuns(string dest, object amount, bool runs)
    {
        var (_, _, carol) = await server.Passports.AliceBobCarolAsync(McpServerFixture.McpAudience, CarolLimits.Constraints);
        await using var client = await server.ConnectAsync(McpServerFixture.Headers(carol));
        int before = server.Runs.Runs("flights_fare");
        int events = server.Passports.Sink.Events.Count;

        var result = await client.CallToolAsync("flights_fare", new Dictionary<string, object?> { ["dest"] = dest, ["amount"] = amount });

        Assert.Equal(!runs, result.IsError == true);
        Assert.Equal(before + (runs ? 1 : 0), server.Runs.Runs("flights_fare"));
        var decision = Assert.Single(server.Passports.Sink.Events.Skip(events), e => e.Kind != PassportAuditEventKind.Minted);
        Assert.Equal(runs ? null : PassportErrorKind.ConstraintViolation, decision.ErrorKind);
        if (!runs)
        {
            Assert.Contains("Reason: ConstraintViolation.", string.Concat(result.Content.OfType<TextContentBlock>().Select(t => t.Text)), StringComparison.Ordinal);
        }
    }
}
