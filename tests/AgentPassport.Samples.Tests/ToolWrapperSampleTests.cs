using AgentPassport.Samples.Tests.Support;

namespace AgentPassport.Samples.Tests;

public sealed class ToolWrapperSampleTests
{
    [Fact]
    public async Task ToolWrapper_enforces_scopes_detects_tampering_and_guards_inside_a_tool_loop()
    {
        var run = await SampleRunner.RunAsync("ToolWrapper");

        run.AssertCompleted();
        string readOnly = run.SectionText("3. A read-only Passport: weather runs, email is refused");
        Assert.Contains("read-only:     get_weather -> Sunny, 22 C in Boston", readOnly);
        Assert.Contains("read-only:     send_email -> DENIED ScopeViolation (AP0013)", readOnly);
        Assert.Contains("emails sent:   0", readOnly);

        string both = run.SectionText("4. A Passport with both scopes: both tools run");
        Assert.Contains("both scopes:   send_email -> sent 'Trip plan' to bob@example.com", both);
        Assert.Contains("emails sent:   1", both);

        string tampered = run.SectionText("5. Tampering: the last 4 signature characters replaced with AAAA");
        Assert.Contains("tampered:      get_weather -> DENIED InvalidSignature (AP0004)", tampered);
        Assert.Contains("tampered:      send_email -> DENIED InvalidSignature (AP0004)", tampered);
        Assert.Contains("emails sent:   1", tampered);

        string loop = run.SectionText("6. The same guards in a model's tool loop (FunctionInvokingChatClient)");
        Assert.Contains("get_weather:   Sunny, 22 C in Boston", loop);
        Assert.Contains("send_email:    DENIED ScopeViolation (AP0013); the tool did not run", loop);
        Assert.Contains("emails sent:   1", loop);

        string tree = run.SectionText("7. The audit tree");
        Assert.Contains("├── agent:weather-bot [weather:read]", tree);
        Assert.Contains("└── agent:assistant [weather:read, email:send]", tree);
        Assert.Contains("DENIED weather:read (get_weather): InvalidSignature AP0004 [claims unverified]", tree);
    }
}
