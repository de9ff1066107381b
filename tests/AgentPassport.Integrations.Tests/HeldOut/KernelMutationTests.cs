using AgentPassport.Integrations.Tests.HeldOut.Support;
using AgentPassport.Testing;
using AgentPassport.TestSupport.Adapters;
using Microsoft.Extensions.AI;
using Microsoft.SemanticKernel;

namespace AgentPassport.Integrations.Tests.HeldOut;

/// <summary>
/// Kernels changed after setup: clones whose Data is mutated, plugins and functions added after UseAgentPassport,
/// functions bound to another agent's kernel re-added to this one.
/// </summary>
[Trait("Category", "HeldOut")]
public sealed class KernelMutationTests
{
    private static KernelArguments Item() => new() { ["item"] = "SFO-JFK" };

    [Fact]
    public async Task Clone_of_an_agent_kernel_with_the_Passport_removed_from_Data_is_denied_NoPassport()
    {
        using var w = await HeldOutWorld.CreateAsync();

        var checkedRun = await w.CheckAsync(async () =>
        {
            await Task.CompletedTask;
            var clone = w.AgentKernel(w.Carol).Clone();
            clone.Data.Remove(PassportKernelExtensions.PassportDataKey);
            return () => clone.InvokeAsync("flights", "book", Item());
        }, null, new Attempt("flights.book", false));

        if (checkedRun)
        {
            Assert.Equal("NoPassport", HeldOutWorld.KindName(w.Decisions()[0]));
        }
    }

    [Fact]
    public async Task Clone_of_an_agent_kernel_whose_Data_holds_a_raw_token_string_is_denied()
    {
        using var w = await HeldOutWorld.CreateAsync();

        await w.CheckAsync(async () =>
        {
            await Task.CompletedTask;
            var clone = w.AgentKernel(w.Carol).Clone();
            clone.Data[PassportKernelExtensions.PassportDataKey] = w.Alice.Token;
            return () => clone.InvokeAsync("payments", "charge", Item());
        }, null, new Attempt("payments.charge", false));
    }

    [Fact]
    public async Task Clone_of_Alices_kernel_given_Carols_Passport_runs_as_Carol()
    {
        using var w = await HeldOutWorld.CreateAsync();

        await w.CheckAsync(async () =>
        {
            await Task.CompletedTask;
            var clone = w.AgentKernel(w.Alice).Clone().UseAgentPassport(w.Carol);
            return () => clone.InvokeAsync("trip", "book_and_pay", Item());
        }, "agent:carol", new Attempt("trip.book_and_pay", true, "flights:book"), new Attempt("payments.charge", false, "payments:charge"));
    }

    [Fact]
    public async Task Changing_a_clone_does_not_change_the_original_agent_kernel()
    {
        using var w = await HeldOutWorld.CreateAsync();

        await w.CheckAsync(async () =>
        {
            await Task.CompletedTask;
            var carol = w.AgentKernel(w.Carol);
            var clone = carol.Clone();
            clone.Data[PassportKernelExtensions.PassportDataKey] = w.Alice;
            return () => carol.InvokeAsync("payments", "charge", Item());
        }, "agent:carol", new Attempt("payments.charge", false, "payments:charge"));
    }

    [Fact]
    public async Task Plugin_added_to_an_agent_kernel_after_UseAgentPassport_is_checked_in_SK_auto_invocation()
    {
        using var w = await HeldOutWorld.CreateAsync();
        var model = new ScriptedChatClient("carol", ["wire_charge"]).WithTravelItem();

        await w.CheckAsync(async () =>
        {
            await Task.CompletedTask;
            var carol = w.AgentKernel(w.Carol, HeldOutWorld.SkLoop(model));
            carol.Plugins.AddFromObject(new HeldOutPayments(w.Bodies), "wire");
            return () => carol.InvokePromptAsync("go", HeldOutWorld.Auto());
        }, "agent:carol", new Attempt("payments.charge", false, "wire:charge"));
    }

    [Fact]
    public async Task Plugin_added_after_UseAgentPassport_is_checked_in_a_MEAI_loop_with_services()
    {
        using var w = await HeldOutWorld.CreateAsync();
        using var sp = w.PlainKernelServices();

        await w.CheckAsync(async () =>
        {
            var carol = w.AgentKernel(w.Carol);
            carol.Plugins.AddFromObject(new HeldOutTrip(w.Bodies), "late");
            var tools = await carol.GetPassportToolsAsync();
            var model = new ScriptedChatClient("carol", ["late_book_and_pay"]).WithTravelItem();
            var client = new ChatClientBuilder(model).UseFunctionInvocation().Build(sp);
            return () => client.GetResponseAsync("go", new ChatOptions { Tools = tools });
        }, "agent:carol", new Attempt("trip.book_and_pay", true, "flights:book"), new Attempt("payments.charge", false, "payments:charge"));
    }

    [Fact]
    public async Task AddFromFunctions_after_setup_with_functions_bound_to_Alices_kernel()
    {
        using var w = await HeldOutWorld.CreateAsync();

        await w.CheckAsync(async () =>
        {
            await Task.CompletedTask;
            var alice = w.AgentKernel(w.Alice);
            var carol = w.AgentKernel(w.Carol);
            carol.Plugins.AddFromFunctions("trip2", alice.Plugins["trip"].AsAIFunctions(alice).OfType<KernelFunction>());
            return () => carol.InvokeAsync("trip2", "book_and_pay", Item());
        }, "agent:carol", new Attempt("trip.book_and_pay", true, "flights:book"), new Attempt("payments.charge", false, "payments:charge"));
    }

    [Fact]
    public async Task AddFromFunctions_after_setup_with_functions_bound_to_Alices_kernel_in_SK_auto_invocation()
    {
        using var w = await HeldOutWorld.CreateAsync();
        var model = new ScriptedChatClient("carol", ["trip2_book_and_pay"]).WithTravelItem();

        await w.CheckAsync(async () =>
        {
            await Task.CompletedTask;
            var alice = w.AgentKernel(w.Alice);
            var carol = w.AgentKernel(w.Carol, HeldOutWorld.SkLoop(model));
            carol.Plugins.AddFromFunctions("trip2", alice.Plugins["trip"].AsAIFunctions(alice).OfType<KernelFunction>());
            return () => carol.InvokePromptAsync("go", HeldOutWorld.Auto());
        }, "agent:carol", new Attempt("trip.book_and_pay", true, "flights:book"), new Attempt("payments.charge", false, "payments:charge"));
    }

    [Fact]
    public async Task AddFromFunctions_after_setup_with_a_converted_AIFunction_is_checked()
    {
        using var w = await HeldOutWorld.CreateAsync();
        var model = new ScriptedChatClient("carol", ["x_payments_charge"]).WithTravelItem();

        await w.CheckAsync(async () =>
        {
            await Task.CompletedTask;
            var carol = w.AgentKernel(w.Carol, HeldOutWorld.SkLoop(model));
            carol.Plugins.AddFromFunctions("x", [w.Tool("payments_charge", null).AsKernelFunction()]);
            return () => carol.InvokePromptAsync("go", HeldOutWorld.Auto());
        }, "agent:carol", new Attempt("payments_charge", false));
    }
}
