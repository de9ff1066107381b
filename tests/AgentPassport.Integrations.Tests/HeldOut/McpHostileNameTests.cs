using AgentPassport.Integrations.Tests.HeldOut.Support;
using ModelContextProtocol.AspNetCore;

namespace AgentPassport.Integrations.Tests.HeldOut;

/// <summary>
/// Issue 12 item 8 over MCP: a caller-chosen tool name is recorded (if at all) after lookup and rendered inert. Nothing runs
/// that Carol may not run, no name yields an Allowed decision it did not earn, and the delegation tree has no forged line.
/// </summary>
[Trait("Category", "HeldOut")]
public sealed class McpHostileNameTests
{
    [Theory]
    [MemberData(nameof(HostileNameTests.HostileNames), MemberType = typeof(HostileNameTests))]
    public async Task Hostile_tool_names_over_MCP(string name)
    {
        using var w = await HeldOutWorld.CreateAsync();
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
            var (status, body) = await server.RawCallToolAsync(w.Carol, name);
            Assert.True(status == System.Net.HttpStatusCode.OK && body.Contains("\"id\":1", StringComparison.Ordinal), $"The call did not reach the server: {status} {body}");

            Assert.Equal(0, w.Bodies.Runs("payments_charge") + w.Bodies.Runs("hotels_book"));
            Assert.DoesNotContain(w.Decisions(), d => d.Kind == PassportAuditEventKind.Allowed && d.RequiredScope != "flights:book");
            Assert.True(w.Decisions().Count(d => d.Kind == PassportAuditEventKind.Allowed) == w.Bodies.Total, w.DescribeDecisions());
            Assert.True(w.Decisions().Count <= 1, w.DescribeDecisions());
            RenderedText.AssertInert(w.F.Sink.Events);
        }
    }
}
