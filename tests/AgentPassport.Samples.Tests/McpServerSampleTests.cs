using AgentPassport.Samples.Tests.Support;

namespace AgentPassport.Samples.Tests;

public sealed class McpServerSampleTests
{
    [Fact]
    public async Task McpServer_gates_each_tool_for_good_overbroad_wrong_audience_and_missing_passports()
    {
        var run = await SampleRunner.RunAsync("McpServer");

        run.AssertCompleted();
        Assert.Matches(@"endpoint:\s+http://127\.0\.0\.1:\d+/mcp", run.SectionText("2. The MCP server: three tools, a Passport gate on tools/call and tools/list"));

        string good = run.SectionText("3. A good Passport (delegated, search + book, this audience)");
        Assert.Matches(@"tools/list:\s+flights_search, flights_book\n", good);
        Assert.Matches(@"flights_search:\s+OK  3 flights found for SFO -> JFK", good);
        Assert.Matches(@"flights_book:\s+OK  BOOKED SFO -> JFK", good);
        Assert.Matches(@"flights_cancel:\s+DENIED by Agent Passport: 'flights_cancel' was not run.*ScopeViolation \(AP0013\)", good);

        string overbroad = run.SectionText("4. An overbroad Passport (scope '*')");
        Assert.Matches(@"tools/list:\s+\(none\)", overbroad);
        Assert.Equal(3, CountOf(overbroad, "WildcardScopeNotAllowed (AP0014)"));

        string wrongAudience = run.SectionText("5. A Passport for another server (wrong audience)");
        Assert.Matches(@"tools/list:\s+\(none\)", wrongAudience);
        Assert.Equal(3, CountOf(wrongAudience, "AudienceMismatch (AP0009)"));

        string none = run.SectionText("6. No Passport at all");
        Assert.Equal(3, CountOf(none, "NoPassport (AP0016)"));

        string log = run.SectionText("7. What the server decided (its audit log)");
        Assert.Equal(2, CountOf(log, "ALLOWED"));
        Assert.Equal(10, CountOf(log, "DENIED"));
        Assert.DoesNotContain("OK ", overbroad + wrongAudience + none);
    }

    private static int CountOf(string text, string value) => (text.Length - text.Replace(value, "", StringComparison.Ordinal).Length) / value.Length;
}
