using AgentPassport.SemanticKernel.Tests.Support;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.SemanticKernel;

namespace AgentPassport.SemanticKernel.Tests;

/// <summary>
/// Carol (flights:book, delegated Alice → Bob → Carol through the delegation service) on every invocation path:
/// flights.book runs once; hotels.book and payments.charge never run, are denied with a typed ScopeViolation the caller
/// can observe, and are audited.
/// </summary>
public sealed class NoBypassMatrixTests
{
    public static TheoryData<InvocationPath, string, bool> Matrix()
    {
        var data = new TheoryData<InvocationPath, string, bool>();
        foreach (var path in Enum.GetValues<InvocationPath>())
        {
            data.Add(path, "flights.book", true);
            data.Add(path, "hotels.book", false);
            data.Add(path, "payments.charge", false);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Matrix))]
    public async Task Carol_OnEveryPath_RunsOnlyWhatHerPassportAllows(InvocationPath path, string tool, bool allowed)
    {
        // Arrange
        using var f = new TravelFixture();
        var (_, _, carol) = await f.AliceBobCarolAsync();

        // Act
        var outcome = await PathRunner.RunAsync(path, f, carol, tool);

        // Assert: the body ran exactly when allowed, and nothing else ran.
        Assert.Equal(allowed ? 1 : 0, f.Counters.Runs(tool));
        Assert.Equal(allowed ? 1 : 0, f.Counters.Total);
        var decisions = f.Sink.Events.Where(e => e.Kind != PassportAuditEventKind.Minted).ToList();
        var decision = Assert.Single(decisions);
        Assert.Equal(tool, decision.ToolName);
        Assert.Equal("agent:carol", decision.AgentId);
        Assert.Equal(tool.Replace('.', ':'), decision.RequiredScope);
        if (allowed)
        {
            Assert.Equal(PassportAuditEventKind.Allowed, decision.Kind);
            Assert.Empty(outcome.Denials);
            Assert.False(outcome.ModelSawDenial);
        }
        else
        {
            Assert.Equal(PassportAuditEventKind.Denied, decision.Kind);
            Assert.Equal(PassportErrorKind.ScopeViolation, decision.ErrorKind);
            if (path == InvocationPath.SkAutoInvocationStreaming)
            {
                // Streamed text only reaches the caller; the typed error is the audit record asserted above.
                return;
            }

            Assert.True(outcome.ModelSawDenial);
            if (path == InvocationPath.KernelBoundAsAIFunction)
            {
                // Only JSON reaches the loop on this path; the typed error is the audit record asserted above.
                return;
            }

            var denial = Assert.Single(outcome.Denials);
            Assert.Equal(PassportErrorKind.ScopeViolation, denial.Error.Kind);
            Assert.Equal(tool.Replace('.', ':'), denial.Decision.RequiredScope);
            Assert.DoesNotContain("granted", denial.Message, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData(InvocationPath.SkAutoInvocation)]
    [InlineData(InvocationPath.SkAutoInvocationStreaming)]
    [InlineData(InvocationPath.MeaiLoopWithKernelFunctions)]
    [InlineData(InvocationPath.PluginAsAIFunctions)]
    [InlineData(InvocationPath.KernelBoundAsAIFunction)]
    [InlineData(InvocationPath.AgentFrameworkChatClientAgent)]
    public async Task Denial_InAToolLoop_TerminatesTheLoopAfterOneModelCall(InvocationPath path)
    {
        using var f = new TravelFixture();
        var (_, _, carol) = await f.AliceBobCarolAsync();

        await PathRunner.RunAsync(path, f, carol, "payments.charge");

        // Allowed calls take two model turns (call, then final answer); a denial stops the loop after the first.
        Assert.Equal(1, f.Model.Requests);
        Assert.Equal(0, f.Counters.Total);
    }

    [Fact]
    public async Task SkAutoInvocation_CallerObservesTheTypedDenial_AsAnAgentPassportException()
    {
        using var f = new TravelFixture();
        var (_, _, carol) = await f.AliceBobCarolAsync();

        var result = await carol.InvokePromptAsync("call hotels.book", TravelFixture.AutoInvoke());
        var ex = Assert.Throws<AgentPassportException>(() => result.ThrowIfPassportDenied());

        Assert.Equal(PassportErrorKind.ScopeViolation, ex.Kind);
        Assert.Equal("AP0013", ex.Error.Code);
    }

    [Fact]
    public async Task DirectInvoke_DeniedResult_IsAShortDenialTheModelCanRead_WithTheTypedDecisionInMetadata()
    {
        using var f = new TravelFixture();
        var (_, _, carol) = await f.AliceBobCarolAsync();

        var result = await carol.InvokeAsync("payments", "charge", new KernelArguments { ["item"] = "x" });

        var denial = Assert.IsType<PassportDenial>(result.GetValue<object>());
        Assert.Same(denial, result.Metadata![PassportFunctionInvocationFilter.DenialMetadataKey]);
        Assert.Equal("DENIED by Agent Passport: 'payments.charge' was not run; it requires scope 'payments:charge'.", denial.Message);
        Assert.Equal("{\"denied\":true,\"message\":\"DENIED by Agent Passport: \\u0027payments.charge\\u0027 was not run; it requires scope \\u0027payments:charge\\u0027.\"}",
            System.Text.Json.JsonSerializer.Serialize(denial));
    }

    [Fact]
    public async Task DetailedDenials_AreOptIn_AndNameTheErrorKindAndCode()
    {
        using var f = new TravelFixture(includeDetailedDenials: true);
        var (_, _, carol) = await f.AliceBobCarolAsync();

        var result = await carol.InvokeAsync("payments", "charge", new KernelArguments { ["item"] = "x" });

        Assert.Contains("ScopeViolation (AP0013)", result.GetPassportDenial()!.Message, StringComparison.Ordinal);
        Assert.Contains("granted: [flights:book]", result.GetPassportDenial()!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MeaiLoop_UnguardedKernelFunctions_SkipKernelFilters_WhichIsWhyGuardAIFunctionsExists()
    {
        // Documents the bypass the guard closes: MEAI's loop invokes a KernelFunction without any kernel filter.
        using var f = new TravelFixture();
        var (_, _, carol) = await f.AliceBobCarolAsync();
        var wire = KernelPluginFactory.CreateFromFunctions("wire",
            [KernelFunctionFactory.CreateFromMethod((string item) => f.Counters.Hit("wire.send", null), "send")]);
        carol.Plugins.Add(wire);

        // As with services.AddChatClient(model).UseFunctionInvocation(): the loop has a service provider.
        using var services = new ServiceCollection().BuildServiceProvider();
        await PathRunner.MeaiLoopAsync(f, "call wire.send", wire.Cast<AITool>().ToList(), services);

        Assert.Equal(1, f.Counters.Runs("wire.send"));
        Assert.DoesNotContain(f.Sink.Events, e => e.Kind != PassportAuditEventKind.Minted);
    }

    [Fact]
    public async Task PluginAsAIFunctions_Unguarded_AreStillCheckedWhereTheBodyRuns()
    {
        // A Passport kernel's own functions carry the check: MEAI's loop skips kernel filters, the function does not.
        using var f = new TravelFixture();
        var (_, _, carol) = await f.AliceBobCarolAsync();

        var outcome = await PathRunner.MeaiLoopAsync(f, "call hotels.book", carol.Plugins.SelectMany(p => p.AsAIFunctions(carol)).Cast<AITool>().ToList());

        Assert.Equal(0, f.Counters.Runs("hotels.book"));
        Assert.True(outcome.ModelSawDenial);
        var decision = Assert.Single(f.Sink.Events, e => e.Kind != PassportAuditEventKind.Minted);
        Assert.Equal(PassportAuditEventKind.Denied, decision.Kind);
        Assert.Equal("agent:carol", decision.AgentId);
    }
}
