using AgentPassport.Integrations.Tests.HeldOut.Support;
using AgentPassport.Testing;
using AgentPassport.TestSupport.Adapters;
using Microsoft.Extensions.AI;
using Microsoft.SemanticKernel;

namespace AgentPassport.Integrations.Tests.HeldOut;

/// <summary>
/// Nested calls: a tool body that calls kernel.InvokeAsync, arguments whose Services carry another agent's kernel, and
/// prompt templates that call functions ({{plugin.fn}}). The nested call is its own attempt, checked for the executing agent.
/// </summary>
[Trait("Category", "HeldOut")]
public sealed class NestedInvocationTests
{
    private static readonly Attempt[] TripForCarol =
        [new("trip.book_and_pay", true, "flights:book"), new("payments.charge", false, "payments:charge")];

    [Fact]
    public async Task Direct_invoke_of_a_tool_whose_body_nests_a_denied_call()
    {
        using var w = await HeldOutWorld.CreateAsync();

        await w.CheckAsync(async () =>
        {
            await Task.CompletedTask;
            var carol = w.AgentKernel(w.Carol);
            return () => carol.InvokeAsync("trip", "book_and_pay", new KernelArguments { ["item"] = "SFO-JFK" });
        }, "agent:carol", TripForCarol);
    }

    [Fact]
    public async Task SK_auto_invocation_of_a_tool_whose_body_nests_a_denied_call()
    {
        using var w = await HeldOutWorld.CreateAsync();
        var model = new ScriptedChatClient("carol", ["trip_book_and_pay"]).WithTravelItem();

        await w.CheckAsync(async () =>
        {
            await Task.CompletedTask;
            var carol = w.AgentKernel(w.Carol, HeldOutWorld.SkLoop(model));
            return () => carol.InvokePromptAsync("go", HeldOutWorld.Auto());
        }, "agent:carol", TripForCarol);
    }

    [Fact]
    public async Task Guard_invoked_with_AIFunctionArguments_whose_Services_carry_the_parents_kernel()
    {
        // A sub-agent (or a loop) passes arguments whose Services resolve Alice's kernel.
        using var w = await HeldOutWorld.CreateAsync();
        var alice = w.AgentKernel(w.Alice);
        using var sp = HeldOutWorld.ServicesWithKernel(alice);

        await w.CheckAsync(async () =>
        {
            await Task.CompletedTask;
            var carol = w.AgentKernel(w.Carol);
            var guard = (AIFunction)carol.GuardAIFunctions(carol.Plugins["trip"])[0];
            return () => guard.InvokeAsync(new AIFunctionArguments(new Dictionary<string, object?> { ["item"] = "SFO-JFK" }) { Services = sp }).AsTask();
        }, "agent:carol", TripForCarol);
    }

    [Fact]
    public async Task Kernel_function_invoked_as_AIFunction_with_Services_carrying_the_parents_kernel()
    {
        // Carol's own kernel function, invoked through its AIFunction face with Alice's kernel in Services.
        using var w = await HeldOutWorld.CreateAsync();
        var alice = w.AgentKernel(w.Alice);
        using var sp = HeldOutWorld.ServicesWithKernel(alice);

        await w.CheckAsync(async () =>
        {
            await Task.CompletedTask;
            var carol = w.AgentKernel(w.Carol);
            AIFunction function = carol.Plugins["trip"]["book_and_pay"];
            return () => function.InvokeAsync(new AIFunctionArguments(new Dictionary<string, object?> { ["item"] = "SFO-JFK" }) { Services = sp }).AsTask();
        }, "agent:carol", TripForCarol);
    }

    [Fact]
    public async Task KernelArguments_whose_Services_carry_the_parents_kernel_on_kernel_InvokeAsync()
    {
        using var w = await HeldOutWorld.CreateAsync();
        var alice = w.AgentKernel(w.Alice);
        using var sp = HeldOutWorld.ServicesWithKernel(alice);

        await w.CheckAsync(async () =>
        {
            await Task.CompletedTask;
            var carol = w.AgentKernel(w.Carol);
            var args = new KernelArguments { ["item"] = "SFO-JFK" };
            args.Services = sp;
            return () => carol.InvokeAsync(carol.Plugins["trip"]["book_and_pay"], args);
        }, "agent:carol", TripForCarol);
    }

    [Fact]
    public async Task Prompt_template_that_calls_a_denied_function()
    {
        using var w = await HeldOutWorld.CreateAsync();
        var model = new ScriptedChatClient("carol").WithTravelItem();

        await w.CheckAsync(async () =>
        {
            await Task.CompletedTask;
            var carol = w.AgentKernel(w.Carol, s => Microsoft.Extensions.DependencyInjection.ServiceCollectionServiceExtensions.AddSingleton<IChatClient>(s, model));
            var prompt = carol.CreateFunctionFromPrompt("Pay first: {{payments.charge item='SFO-JFK'}}");
            return () => carol.InvokeAsync(prompt);
        }, "agent:carol", new Attempt("payments.charge", false, "payments:charge"));
    }

    [Fact]
    public async Task Prompt_template_that_calls_a_tool_whose_body_nests_a_denied_call()
    {
        using var w = await HeldOutWorld.CreateAsync();
        var model = new ScriptedChatClient("bob").WithTravelItem();

        await w.CheckAsync(async () =>
        {
            await Task.CompletedTask;
            var bob = w.AgentKernel(w.Bob, s => Microsoft.Extensions.DependencyInjection.ServiceCollectionServiceExtensions.AddSingleton<IChatClient>(s, model));
            return () => bob.InvokePromptAsync("Plan: {{trip.book_and_pay item='SFO-JFK'}}");
        }, "agent:bob", new Attempt("trip.book_and_pay", true, "flights:book"), new Attempt("payments.charge", false, "payments:charge"));
    }

    [Fact]
    public async Task Prompt_function_in_a_plugin_called_by_the_model_is_itself_checked_before_its_template_renders()
    {
        // notes.pay is a prompt function inside a plugin: a model-chosen call to it is a tool call (scope notes:pay).
        using var w = await HeldOutWorld.CreateAsync();
        var model = new ScriptedChatClient("carol", ["notes_pay"]).WithTravelItem();

        await w.CheckAsync(async () =>
        {
            await Task.CompletedTask;
            var carol = w.AgentKernel(w.Carol, HeldOutWorld.SkLoop(model));
            carol.Plugins.AddFromFunctions("notes", [carol.CreateFunctionFromPrompt("Pay: {{payments.charge item='x'}}", functionName: "pay")]);
            return () => carol.InvokePromptAsync("go", HeldOutWorld.Auto());
        }, "agent:carol", new Attempt("notes.pay", false, "notes:pay"));
    }
}
