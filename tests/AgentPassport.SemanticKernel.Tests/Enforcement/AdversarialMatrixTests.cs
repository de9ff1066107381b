using AgentPassport.SemanticKernel.Tests.Support;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.SemanticKernel;
using Microsoft.SemanticKernel.ChatCompletion;

namespace AgentPassport.SemanticKernel.Tests.Enforcement;

/// <summary>
/// The Semantic Kernel items of the enforcement issue, one test each, counting real tool-body executions, the agent whose
/// kernel each body ran on, and the audit decisions. Alice holds flights:*, hotels:*, payments:charge; Carol only flights:book.
/// </summary>
public sealed class AdversarialMatrixTests : IDisposable
{
    private readonly TravelFixture _f = new();

    public void Dispose() => _f.Dispose();

    private IReadOnlyList<string> Decisions() => _f.Sink.Events
        .Where(e => e.Kind != PassportAuditEventKind.Minted)
        .Select(e => $"{e.AgentId} {(e.Kind == PassportAuditEventKind.Allowed ? "allowed" : "denied")} {e.RequiredScope ?? "-"}")
        .ToList();

    // flights.book pays through the kernel its body receives: payments.charge is a nested call.
    private Kernel NestedTemplate()
    {
        var builder = Kernel.CreateBuilder();
        builder.Services.AddSingleton<IChatClient>(sp => new ChatClientBuilder(_f.Model).UseKernelFunctionInvocation().Build(sp));
        builder.Plugins.AddFromObject(new NestedBookingPlugin(_f.Counters), "flights");
        builder.Plugins.AddFromObject(new PaymentsPlugin(_f.Counters), "payments");
        return builder.Build().UseAgentPassport(_f.Authorizer, passport: null);
    }

    // Item 1: MEAI's own loop inside the kernel's chat client called kernel functions past every filter; the old
    // UseAgentPassport accepted the kernel and a denied payments.charge ran, unaudited.
    [Fact]
    public async Task Item1_AKernelWhoseChatClientRunsTheMeaiLoop_IsRefusedAtSetup()
    {
        var (_, _, carol) = await _f.AliceBobCarolAsync();
        var builder = Kernel.CreateBuilder();
        builder.Services.AddSingleton<IChatClient>(new ChatClientBuilder(_f.Model).UseFunctionInvocation().Build());
        builder.Plugins.AddFromObject(new PaymentsPlugin(_f.Counters), "payments");
        var kernel = builder.Build();

        var error = Assert.Throws<InvalidOperationException>(() => kernel.UseAgentPassport(_f.Authorizer, carol.GetPassport()));

        Assert.Contains("UseKernelFunctionInvocation()", error.Message, StringComparison.Ordinal);
        Assert.Equal(0, _f.Model.Requests);
        Assert.Equal(0, _f.Counters.Total);
        Assert.Empty(Decisions());
    }

    // Item 1, the same loop behind an IChatCompletionService, and a template registered the way dependency injection does.
    [Fact]
    public async Task Item1_TheMeaiLoopBehindAChatCompletionService_OrInADelegationTemplate_IsRefused()
    {
        var builder = Kernel.CreateBuilder();
        builder.Services.AddSingleton<IChatCompletionService>(sp => new ChatClientBuilder(_f.Model).UseFunctionInvocation().Build(sp).AsChatCompletionService(sp));
        builder.Plugins.AddFromObject(new PaymentsPlugin(_f.Counters), "payments");
        var kernel = builder.Build();
        var filter = new PassportFunctionInvocationFilter(_f.Authorizer);
        kernel.FunctionInvocationFilters.Add(filter);
        kernel.AutoFunctionInvocationFilters.Add(filter);

        await Assert.ThrowsAsync<InvalidOperationException>(() => _f.Delegation.CreateAgentKernelAsync(kernel, TravelFixture.AliceRequest()));
        Assert.Throws<InvalidOperationException>(() => kernel.UseAgentPassport(new PassportContext("placeholder.token.value")));
        Assert.Equal(0, _f.Counters.Total);
    }

    // Item 4: a Microsoft.Extensions.AI loop built with a service provider that holds a filterless Kernel. The old guard
    // let Semantic Kernel run the body on that kernel, so its nested payments.charge ran unchecked.
    [Fact]
    public async Task Item4_AGuardedKernelFunction_RunsOnTheAgentsKernel_NotTheLoopsServiceKernel()
    {
        var (_, _, carol) = await _f.AliceBobCarolAsync(NestedTemplate());
        var bare = new Kernel();
        bare.Plugins.AddFromObject(new PaymentsPlugin(_f.Counters), "payments");
        using var services = new ServiceCollection().AddSingleton(bare).BuildServiceProvider();

        await PathRunner.MeaiLoopAsync(_f, "call flights.book", carol.GuardAIFunctions(carol.Plugins["flights"]), services);

        Assert.Equal(1, _f.Counters.Runs("flights.book"));
        Assert.Equal(0, _f.Counters.Runs("payments.charge"));
        Assert.Equal([("flights.book", "agent:carol")], _f.Counters.Log.ToArray());
        Assert.Equal(["agent:carol allowed flights:book", "agent:carol denied payments:charge"], Decisions());
    }

    // Item 7: a plugin-less function that is not a prompt (AsKernelFunction) was taken for the application's own prompt.
    [Fact]
    public async Task Item7_APluginlessAIFunction_IsNotATopLevelPrompt_AndIsDenied()
    {
        var (_, _, carol) = await _f.AliceBobCarolAsync();
        var function = AIFunctionFactory.Create(() => _f.Counters.Hit("wire.send", null), "send").AsKernelFunction();

        var result = await carol.InvokeAsync(function);

        Assert.Equal(0, _f.Counters.Total);
        Assert.Equal(PassportErrorKind.NoScopeRequirement, result.GetPassportDenial()!.Error.Kind);
        Assert.Equal(["agent:carol denied -"], Decisions());
    }

    // Item 7, control: the application's own prompt still passes, and the tool call it triggers is checked once.
    [Fact]
    public async Task Item7_ARealPrompt_StillPasses_AndItsToolCallIsDecidedOnce()
    {
        var (_, _, carol) = await _f.AliceBobCarolAsync();

        await carol.InvokePromptAsync("call flights.book", TravelFixture.AutoInvoke());

        Assert.Equal(1, _f.Counters.Runs("flights.book"));
        Assert.Equal(["agent:carol allowed flights:book"], Decisions());
    }

    // Item 10: Carol guarding Alice's kernel-bound functions. The old guard checked Carol, then ran the body on Alice's
    // kernel: the nested payments.charge ran under Alice's Passport and the audit named Alice.
    [Fact]
    public async Task Item10_CarolGuardingAlicesKernelFunctions_RunsTheBodyOnCarolsKernel()
    {
        var (alice, _, carol) = await _f.AliceBobCarolAsync(NestedTemplate());

        await PathRunner.MeaiLoopAsync(_f, "call flights.book", carol.GuardAIFunctions(alice.Plugins["flights"].AsAIFunctions(alice)));

        Assert.Equal(1, _f.Counters.Runs("flights.book"));
        Assert.Equal(0, _f.Counters.Runs("payments.charge"));
        Assert.Equal([("flights.book", "agent:carol")], _f.Counters.Log.ToArray());
        Assert.Equal(["agent:carol allowed flights:book", "agent:carol denied payments:charge"], Decisions());
    }

    // Item 3 for kernels: Alice's guarded tools handed to Carol, who guards them again, are decided for Carol, once, and
    // the body runs on a kernel carrying Carol's Passport.
    [Fact]
    public async Task Item3_AlicesGuardedTools_GuardedByCarol_AreDecidedForCarol_Once()
    {
        var (alice, _, carol) = await _f.AliceBobCarolAsync(NestedTemplate());
        var aliceTools = await alice.GetPassportToolsAsync();

        await PathRunner.MeaiLoopAsync(_f, "call flights.book", carol.GuardAIFunctions(aliceTools.Cast<AIFunction>()));

        Assert.Equal(0, _f.Counters.Runs("payments.charge"));
        Assert.Equal([("flights.book", "agent:carol")], _f.Counters.Log.ToArray());
        Assert.Equal(["agent:carol allowed flights:book", "agent:carol denied payments:charge"], Decisions());
    }

    // Also fix: re-guarding guarded tools for the same agent (here through a kernel holding an equal copy of Carol's
    // Passport) denied even allowed ones: the old guard took the inner guard for a tool without a scope.
    [Fact]
    public async Task ReGuardingAKernelsGuardedTools_KeepsAllowedToolsAllowed_WithOneDecision()
    {
        var (_, _, carol) = await _f.AliceBobCarolAsync();
        var tools = await carol.GetPassportToolsAsync();
        var passport = carol.GetPassport()!;
        var sameAgent = carol.Clone().UseAgentPassport(new PassportContext(passport.Token, passport.ChainTokens, passport.Audience));

        await PathRunner.MeaiLoopAsync(_f, "call flights.book", sameAgent.GuardAIFunctions(tools.Cast<AIFunction>()));

        Assert.Equal(1, _f.Counters.Runs("flights.book"));
        Assert.Equal(["agent:carol allowed flights:book"], Decisions());
    }

    // Also fix: a denied InvokeStreamingAsync threw InvalidCastException; it now throws the typed error, the body never runs.
    [Fact]
    public async Task StreamingInvokeOfADeniedFunction_ThrowsTheTypedError()
    {
        var (_, _, carol) = await _f.AliceBobCarolAsync();

        var error = await Assert.ThrowsAsync<AgentPassportException>(async () =>
        {
            await foreach (var _ in carol.InvokeStreamingAsync(carol.Plugins["payments"]["charge"], new KernelArguments { ["item"] = "x" }))
            {
            }
        });

        Assert.Equal(PassportErrorKind.ScopeViolation, error.Kind);
        Assert.Equal(0, _f.Counters.Total);
        Assert.Equal(["agent:carol denied payments:charge"], Decisions());
    }

    // Also fix: on the IChatCompletionService path a denial stops the loop and the service returns that last tool message
    // (it adds only the earlier ones to the history): the caller reads the denial from the returned messages.
    [Fact]
    public async Task ChatCompletionService_TheDenialIsInTheReturnedMessages()
    {
        var builder = Kernel.CreateBuilder();
        builder.Services.AddSingleton<IChatCompletionService>(sp => new ChatClientBuilder(_f.Model).UseKernelFunctionInvocation().Build(sp).AsChatCompletionService(sp));
        builder.Plugins.AddFromObject(new FlightsPlugin(_f.Counters), "flights");
        builder.Plugins.AddFromObject(new HotelsPlugin(_f.Counters), "hotels");
        var (_, _, carol) = await _f.AliceBobCarolAsync(builder.Build().UseAgentPassport(_f.Authorizer, passport: null));
        var history = new ChatHistory();
        history.AddUserMessage("call hotels.book");

        var returned = await carol.GetRequiredService<IChatCompletionService>().GetChatMessageContentsAsync(
            history, new PromptExecutionSettings { FunctionChoiceBehavior = FunctionChoiceBehavior.Auto() }, carol);

        Assert.Equal(0, _f.Counters.Total);
        Assert.Equal(PassportErrorKind.ScopeViolation, Assert.Single(returned.GetPassportDenials()).Error.Kind);
        Assert.Empty(history.GetPassportDenials());
        Assert.Equal(["agent:carol denied hotels:book"], Decisions());
    }

    // Also fix: the text a model reads names the real kind, without details.
    [Fact]
    public async Task DenialText_NamesNoPassport_WhenTheKernelCarriesNone()
    {
        var result = await _f.Template.InvokeAsync("flights", "book", new KernelArguments { ["item"] = "x" });

        Assert.Equal("DENIED by Agent Passport: 'flights.book' was not run; it requires scope 'flights:book'. Reason: NoPassport.", result.GetPassportDenial()!.Message);
        Assert.Equal(0, _f.Counters.Total);
    }
}
