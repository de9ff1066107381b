using AgentPassport.SemanticKernel.Tests.Support;
using Microsoft.SemanticKernel;

namespace AgentPassport.SemanticKernel.Tests;

public sealed class FilterBehaviourTests
{
    [Fact]
    public async Task TopLevelPrompt_IsNotAToolCall_AndIsNotRefused()
    {
        using var f = new TravelFixture();
        var (_, _, carol) = await f.AliceBobCarolAsync();

        var result = await carol.InvokePromptAsync("say hello");

        Assert.Equal("plain answer", result.ToString());
        Assert.Empty(result.GetPassportDenials());
        Assert.DoesNotContain(f.Sink.Events, e => e.Kind != PassportAuditEventKind.Minted);
    }

    [Fact]
    public async Task PluginlessMethodFunction_HasNoResolvableScope_AndIsDenied()
    {
        using var f = new TravelFixture();
        var (_, _, carol) = await f.AliceBobCarolAsync();
        var orphan = KernelFunctionFactory.CreateFromMethod(() => f.Counters.Hit("orphan", null), "orphan");

        var result = await carol.InvokeAsync(orphan);

        Assert.Equal(0, f.Counters.Total);
        var denial = result.GetPassportDenial()!;
        Assert.Null(denial.Decision.RequiredScope);
        Assert.Equal(PassportErrorKind.NoScopeRequirement, denial.Error.Kind);
        Assert.Equal("AP0017", denial.Error.Code);
        Assert.Equal("DENIED by Agent Passport: 'orphan' was not run; no scope requirement is defined for it. Reason: NoScopeRequirement.", denial.Message);
    }

    [Fact]
    public async Task Attribute_NamesTheRequiredScope()
    {
        using var f = new TravelFixture();
        var (_, bob, carol) = await f.AliceBobCarolAsync();

        var denied = await carol.InvokeAsync("admin", "refund", new KernelArguments { ["item"] = "x" });
        var allowed = await bob.InvokeAsync("admin", "refund", new KernelArguments { ["item"] = "x" });

        Assert.Equal("flights:refund", denied.GetPassportDenial()!.Decision.RequiredScope);
        Assert.Null(allowed.GetPassportDenial());
        Assert.Equal(1, f.Counters.Runs("admin.refund"));
        Assert.Equal("flights:refund", new PassportFunctionInvocationFilter(f.Authorizer).GetRequiredScope(carol.Plugins["admin"]["refund"]));
    }

    [Fact]
    public async Task RequirementIsResolvedPerFunctionInstance_AClonedFunctionGetsItsOwn_AndRepeatedCallsAgree()
    {
        using var f = new TravelFixture();
        var (_, _, carol) = await f.AliceBobCarolAsync();
        var filter = new PassportFunctionInvocationFilter(f.Authorizer, [new("hotels.book", "travel:hotels")]);
        var book = carol.Plugins["flights"]["book"];
        var hotelsBook = book.Clone("hotels"); // same method and name, another plugin: must not reuse flights' answer

        Assert.Equal("flights:book", filter.GetRequiredScope(book));
        Assert.Equal("travel:hotels", filter.GetRequiredScope(hotelsBook));
        Assert.Equal("flights:book", filter.GetRequiredScope(book));

        // Through the kernel the cached answer still decides: Carol (flights:book) may book a flight, twice.
        for (int i = 0; i < 2; i++)
        {
            Assert.Null((await carol.InvokeAsync("flights", "book", new KernelArguments { ["item"] = "x" })).GetPassportDenial());
        }

        Assert.Equal(2, f.Counters.Runs("flights.book"));
        Assert.Equal("flights.book", f.Sink.Events[^1].ToolName);
    }

    [Fact]
    public async Task OptionsMap_OverridesTheDefault()
    {
        using var f = new TravelFixture();
        var (_, _, carol) = await f.AliceBobCarolAsync();
        var kernel = new Kernel();
        kernel.Plugins.AddFromObject(new FlightsPlugin(f.Counters), "flights");
        kernel.UseAgentPassport(f.Authorizer, carol.GetPassport(), new Dictionary<string, string> { ["flights.book"] = "travel:book" });

        var result = await kernel.InvokeAsync("flights", "book", new KernelArguments { ["item"] = "x" });

        Assert.Equal("travel:book", result.GetPassportDenial()!.Decision.RequiredScope);
        Assert.Equal(0, f.Counters.Total);
    }

    [Fact]
    public void PassportScopeAttribute_OnThePluginClass_AppliesToItsFunctionsWithoutTheirOwn()
    {
        using var f = new TravelFixture();
        var filter = new PassportFunctionInvocationFilter(f.Authorizer);
        var plugin = KernelPluginFactory.CreateFromObject(new ClassScopedPlugin(), "admin");

        Assert.Equal("flights:refund", filter.GetRequiredScope(plugin["refund"]));
        Assert.Equal("flights:audit", filter.GetRequiredScope(plugin["audit"]));
    }

    [Fact]
    public void OptionsMap_WithAPattern_IsRefusedAtConstruction()
    {
        using var f = new TravelFixture();

        Assert.Throws<ArgumentException>(() => new PassportFunctionInvocationFilter(f.Authorizer, new Dictionary<string, string> { ["flights.book"] = "flights:*" }));
        Assert.Throws<ArgumentException>(() => new PassportScopeAttribute("*"));
    }

    [Fact]
    public async Task KernelArguments_CannotCarryAPassport()
    {
        // The Passport travels in Kernel.Data; a value smuggled into the arguments is ignored.
        using var f = new TravelFixture();
        var (_, _, carol) = await f.AliceBobCarolAsync();

        var result = await f.Template.InvokeAsync("flights", "book",
            new KernelArguments { ["item"] = "x", [PassportKernelExtensions.PassportDataKey] = carol.GetPassport() });

        Assert.Equal(PassportErrorKind.NoPassport, result.GetPassportDenial()!.Error.Kind);
        Assert.Equal(0, f.Counters.Total);
    }

    [Fact]
    public async Task Advertising_OffersTheModelOnlyWhatThePassportAllows()
    {
        using var f = new TravelFixture();
        var (_, bob, carol) = await f.AliceBobCarolAsync();

        var carolSettings = new PromptExecutionSettings { FunctionChoiceBehavior = await carol.CreatePassportFunctionChoiceAsync() };
        var bobSettings = new PromptExecutionSettings { FunctionChoiceBehavior = await bob.CreatePassportFunctionChoiceAsync() };
        await carol.InvokePromptAsync("call flights.book", new KernelArguments(carolSettings));
        await bob.InvokePromptAsync("call flights.book", new KernelArguments(bobSettings));

        Assert.Equal(["flights_book"], f.Model.OfferedTools[0]);
        Assert.Equal(["flights_book", "flights_search", "hotels_book", "admin_refund"], f.Model.OfferedTools[1]);
        Assert.Equal(2, f.Counters.Runs("flights.book"));
        Assert.Equal(["flights.book"], (await carol.GetPassportAllowedFunctionsAsync()).Select(fn => $"{fn.PluginName}.{fn.Name}"));
        Assert.Equal(["flights_book"], (await carol.GetPassportToolsAsync()).Select(t => t.Name));
    }

    [Fact]
    public async Task Advertising_IsNotEnforcement_AToolTheModelWasNotOfferedStillNeverRuns()
    {
        using var f = new TravelFixture();
        var (_, _, carol) = await f.AliceBobCarolAsync();
        var settings = new PromptExecutionSettings { FunctionChoiceBehavior = await carol.CreatePassportFunctionChoiceAsync() };

        await carol.InvokePromptAsync("call payments.charge", new KernelArguments(settings));
        var tools = await carol.GetPassportToolsAsync();
        await PathRunner.MeaiLoopAsync(f, "call payments.charge", tools);

        Assert.Equal(0, f.Counters.Total);
    }

    [Fact]
    public async Task Advertising_WithAnInvalidPassport_OffersNothing()
    {
        using var f = new TravelFixture();
        var (_, _, carol) = await f.AliceBobCarolAsync();
        f.Time.Advance(TimeSpan.FromMinutes(10));

        Assert.Empty(await carol.GetPassportAllowedFunctionsAsync());
        Assert.Empty(await carol.GetPassportToolsAsync());

        var settings = new PromptExecutionSettings { FunctionChoiceBehavior = await carol.CreatePassportFunctionChoiceAsync() };
        await carol.InvokePromptAsync("call flights.book", new KernelArguments(settings));
        Assert.Empty(f.Model.OfferedTools[0]);
        Assert.Equal(0, f.Counters.Total);
    }

    [Fact]
    public void UseAgentPassport_IsIdempotent_AndRefusesASecondAuthorizer()
    {
        using var f = new TravelFixture();
        var kernel = new Kernel();

        kernel.UseAgentPassport(f.Authorizer, passport: null);
        kernel.UseAgentPassport(f.Authorizer, passport: null);
        using var other = new TravelFixture();

        Assert.Single(kernel.FunctionInvocationFilters);
        Assert.Single(kernel.AutoFunctionInvocationFilters);
        Assert.Throws<InvalidOperationException>(() => kernel.UseAgentPassport(other.Authorizer, passport: null));
        Assert.Throws<InvalidOperationException>(() => new Kernel().UseAgentPassport(new PassportContext("a.b.c")));
    }
}

public sealed class PluginlessToolTests
{
    [Fact]
    public async Task PluginlessFunction_CannotBeOfferedToTheModel_BySemanticKernel()
    {
        // Why the filter may pass the application's plugin-less prompt through: SK never lets a model call a plugin-less function.
        using var f = new TravelFixture();
        var (_, _, carol) = await f.AliceBobCarolAsync();
        var loose = KernelFunctionFactory.CreateFromMethod((string item) => f.Counters.Hit("loose", null), "loose");
        var settings = new PromptExecutionSettings { FunctionChoiceBehavior = FunctionChoiceBehavior.Auto([loose]) };

        await Assert.ThrowsAsync<KernelException>(() => carol.InvokePromptAsync("call x.loose", new KernelArguments(settings)));
        Assert.Equal(0, f.Counters.Total);
    }

    [Fact]
    public async Task AutoFilter_TreatsAModelChosenPluginlessPrompt_AsAToolCall_AndDeniesIt()
    {
        // Defence in depth for the case above: the auto-invocation filter never takes a model-chosen call for the app's prompt.
        using var f = new TravelFixture();
        var (_, _, carol) = await f.AliceBobCarolAsync();
        var loose = KernelFunctionFactory.CreateFromPrompt("Say hi", functionName: "loose");
        var context = new AutoFunctionInvocationContext(carol, loose, new FunctionResult(loose), new Microsoft.SemanticKernel.ChatCompletion.ChatHistory(), new ChatMessageContent());
        bool ran = false;

        await carol.GetPassportFilter().OnAutoFunctionInvocationAsync(context, _ => { ran = true; return Task.CompletedTask; });

        Assert.False(ran);
        Assert.True(context.Terminate);
        Assert.Null(context.Result.GetPassportDenial()!.Decision.RequiredScope);
    }
}

/// <summary>A plugin whose class names the scope its functions require, and one function that names its own.</summary>
[PassportScope("flights:refund")]
public sealed class ClassScopedPlugin
{
    [KernelFunction("refund")]
    public string Refund() => "refunded";

    [KernelFunction("audit"), PassportScope("flights:audit")]
    public string Audit() => "audited";
}
