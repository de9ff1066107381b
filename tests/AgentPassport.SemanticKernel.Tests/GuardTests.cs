using AgentPassport.Extensions.AI;
using AgentPassport.SemanticKernel.Tests.Support;
using Microsoft.Agents.AI;
using Microsoft.Extensions.AI;
using Microsoft.SemanticKernel;

namespace AgentPassport.SemanticKernel.Tests;

/// <summary>The Microsoft.Extensions.AI guard on its own, and mixed allowed/denied calls in one model turn.</summary>
public sealed class GuardTests
{
    [Fact]
    public async Task Guard_OnAPlainAIFunction_RunsItOnlyWhenTheScopeIsCovered()
    {
        using var f = new TravelFixture();
        var (_, _, carolKernel) = await f.AliceBobCarolAsync();
        var carol = carolKernel.GetPassport()!;
        int runs = 0;
        var inner = AIFunctionFactory.Create((string item) => { runs++; return "charged " + item; }, "charge");

        var denied = new PassportGuardedAIFunction(inner, f.Authorizer, carol, "payments:charge");
        var allowed = new PassportGuardedAIFunction(inner, f.Authorizer, carol, "flights:book", "flights.charge-ish");
        var unresolved = new PassportGuardedAIFunction(inner, f.Authorizer, carol, requiredScope: null);

        var d = await denied.InvokeAsync(new AIFunctionArguments { ["item"] = "x" });
        var a = await allowed.InvokeAsync(new AIFunctionArguments { ["item"] = "x" });
        var u = await unresolved.InvokeAsync(new AIFunctionArguments { ["item"] = "x" });

        Assert.Equal(1, runs);
        Assert.Equal(PassportErrorKind.ScopeViolation, Assert.IsType<PassportDenial>(d).Error.Kind);
        Assert.Equal("charged x", a?.ToString());
        Assert.Null(Assert.IsType<PassportDenial>(u).Decision.RequiredScope);
        Assert.Equal("charge", denied.Name);
        Assert.Equal(inner.JsonSchema.ToString(), denied.JsonSchema.ToString());
        Assert.Equal(["charge", "flights.charge-ish", "charge"], f.Sink.Events.Where(e => e.Kind != PassportAuditEventKind.Minted).Select(e => e.ToolName));
    }

    [Fact]
    public async Task GuardAIFunctions_OnANonKernelFunction_UsesTheMappedScope_OrDenies()
    {
        using var f = new TravelFixture();
        var (_, _, carol) = await f.AliceBobCarolAsync();
        int runs = 0;
        var lookup = AIFunctionFactory.Create(() => { runs++; return "ok"; }, "lookup");
        var mapped = new Kernel();
        mapped.UseAgentPassport(f.Authorizer, carol.GetPassport(), new Dictionary<string, string> { ["lookup"] = "flights:book" });

        var viaMap = (AIFunction)mapped.GuardAIFunctions([lookup])[0];
        var unmapped = (AIFunction)carol.GuardAIFunctions([lookup])[0];
        await viaMap.InvokeAsync(new AIFunctionArguments());
        var denied = await unmapped.InvokeAsync(new AIFunctionArguments());

        Assert.Equal(1, runs);
        Assert.Null(Assert.IsType<PassportDenial>(denied).Decision.RequiredScope);
    }

    [Theory]
    [InlineData(InvocationPath.SkAutoInvocation)]
    [InlineData(InvocationPath.MeaiLoopWithKernelFunctions)]
    [InlineData(InvocationPath.AgentFrameworkChatClientAgent)]
    public async Task OneTurnAskingForAnAllowedAndADeniedTool_NeverRunsTheDeniedOne(InvocationPath path)
    {
        using var f = new TravelFixture();
        var (_, _, carol) = await f.AliceBobCarolAsync();

        await PathRunner.RunAsync(path, f, carol, "flights.book+payments.charge");

        Assert.Equal(0, f.Counters.Runs("payments.charge"));
        Assert.True(f.Counters.Runs("flights.book") <= 1);
        Assert.Contains(f.Sink.Events, e => e.Kind == PassportAuditEventKind.Denied && e.ToolName == "payments.charge");
        Assert.Equal(1, f.Model.Requests);
    }

    [Fact]
    public async Task AgentFrameworkAgent_WithPassportTools_IsOfferedOnlyWhatThePassportAllows()
    {
        using var f = new TravelFixture();
        var (_, _, carol) = await f.AliceBobCarolAsync();
        var agent = new ChatClientAgent(f.Model, instructions: "You book travel.", name: "carol", tools: await carol.GetPassportToolsAsync());

        await agent.RunAsync("call flights.book");
        await agent.RunAsync("call payments.charge");

        Assert.Equal(["flights_book"], f.Model.OfferedTools[0]);
        Assert.Equal(1, f.Counters.Runs("flights.book"));
        Assert.Equal(0, f.Counters.Runs("payments.charge"));
    }
}
