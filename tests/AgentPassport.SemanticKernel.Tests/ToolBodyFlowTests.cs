using AgentPassport.Extensions.AI;
using AgentPassport.SemanticKernel.Tests.Support;
using Microsoft.Extensions.AI;
using Microsoft.SemanticKernel;

namespace AgentPassport.SemanticKernel.Tests;

/// <summary>
/// A kernel function's body runs as every guarded body does, whichever path decided it: no agent is executing inside it,
/// so a nested call it makes is decided for the agent whose layer runs that call, never inherited from the caller.
/// </summary>
public sealed class ToolBodyFlowTests
{
    [Fact]
    public async Task A_function_decided_where_it_runs_sees_no_executing_agent_in_its_body()
    {
        using var f = new TravelFixture();
        PassportContext? insideBody = new("not-set");
        var template = Kernel.CreateBuilder().Build();
        template.Plugins.AddFromFunctions("flights", [KernelFunctionFactory.CreateFromMethod((string item) =>
        {
            insideBody = PassportToolCall.ExecutingAgent;
            return $"booked {item}";
        }, "book")]);
        var (_, _, carol) = await f.AliceBobCarolAsync(template.UseAgentPassport(f.Authorizer, passport: null));
        var carolContext = carol.GetPassport()!;
        var guard = new PassportToolCallGuard(f.Authorizer, carolContext, [], null, terminateOnDenial: true);

        // Carol's run is executing; her kernel function is invoked as a plain AIFunction (no kernel filter runs), so the
        // self-guarded function decides where it runs.
        var result = await guard.RunAsync(ct => ((AIFunction)carol.Plugins["flights"]["book"]).InvokeAsync(new AIFunctionArguments { ["item"] = "SFO-JFK" }, ct).AsTask());

        Assert.Equal("booked SFO-JFK", result?.ToString());
        Assert.Null(insideBody);
        var decision = Assert.Single(f.Sink.Events, e => e.Kind != PassportAuditEventKind.Minted);
        Assert.Equal((PassportAuditEventKind.Allowed, "agent:carol"), (decision.Kind, decision.AgentId));
    }
}
