using AgentPassport.Integrations.Tests.HeldOut.Support;
using AgentPassport.Testing;
using AgentPassport.TestSupport.Adapters;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.SemanticKernel;

namespace AgentPassport.Integrations.Tests.HeldOut;

/// <summary>
/// Issue 12 items 1 and 4: a kernel whose chat client runs Microsoft.Extensions.AI's own loop, and a MEAI loop whose
/// service provider carries a Kernel (so SK runs the function on that kernel instead of the one the guard bound).
/// </summary>
[Trait("Category", "HeldOut")]
public sealed class SkChatClientLoopTests
{
    [Theory]
    [InlineData("payments_charge", "payments.charge", false, "payments:charge")]
    [InlineData("flights_book", "flights.book", true, "flights:book")]
    public async Task Kernel_chat_client_built_with_MEAIs_UseFunctionInvocation(string call, string body, bool allowed, string scope)
    {
        using var w = await HeldOutWorld.CreateAsync();
        var model = new ScriptedChatClient("carol", [call]).WithTravelItem();

        await w.CheckAsync(async () =>
        {
            await Task.CompletedTask;
            var kernel = w.AgentKernel(w.Carol, s => s.AddSingleton<IChatClient>(new ChatClientBuilder(model).UseFunctionInvocation().Build()));
            return () => kernel.InvokePromptAsync("go", HeldOutWorld.Auto());
        }, "agent:carol", new Attempt(body, allowed, scope));
    }

    [Theory]
    [InlineData("payments_charge", "payments.charge", false, "payments:charge")]
    [InlineData("flights_book", "flights.book", true, "flights:book")]
    public async Task Kernel_chat_client_registered_with_AddChatClient_UseFunctionInvocation(string call, string body, bool allowed, string scope)
    {
        using var w = await HeldOutWorld.CreateAsync();
        var model = new ScriptedChatClient("carol", [call]).WithTravelItem();

        await w.CheckAsync(async () =>
        {
            await Task.CompletedTask;
            var kernel = w.AgentKernel(w.Carol, s => s.AddChatClient(model).UseFunctionInvocation());
            return () => kernel.InvokePromptAsync("go", HeldOutWorld.Auto());
        }, "agent:carol", new Attempt(body, allowed, scope));
    }

    [Fact]
    public async Task Kernel_chat_client_with_MEAIs_loop_streaming()
    {
        using var w = await HeldOutWorld.CreateAsync();
        var model = new ScriptedChatClient("carol", ["payments_charge"]).WithTravelItem();

        await w.CheckAsync(async () =>
        {
            await Task.CompletedTask;
            var kernel = w.AgentKernel(w.Carol, s => s.AddSingleton<IChatClient>(new ChatClientBuilder(model).UseFunctionInvocation().Build()));
            return async () =>
            {
                await foreach (var _ in kernel.InvokePromptStreamingAsync("go", HeldOutWorld.Auto()))
                {
                }
            };
        }, "agent:carol", new Attempt("payments.charge", false, "payments:charge"));
    }

    [Fact]
    public async Task Guarded_kernel_function_in_a_MEAI_loop_whose_services_have_AddKernel_nested_call_stays_checked()
    {
        // Item 4: the loop is built with .Build(sp) and sp has a filterless Kernel with the same plugins.
        using var w = await HeldOutWorld.CreateAsync();
        using var sp = w.PlainKernelServices();
        var model = new ScriptedChatClient("carol", ["trip_book_and_pay"]).WithTravelItem();

        await w.CheckAsync(async () =>
        {
            await Task.CompletedTask;
            var carol = w.AgentKernel(w.Carol);
            var tools = carol.GuardAIFunctions(carol.Plugins["trip"]);
            var client = new ChatClientBuilder(model).UseFunctionInvocation().Build(sp);
            return () => client.GetResponseAsync("go", new ChatOptions { Tools = tools });
        }, "agent:carol", new Attempt("trip.book_and_pay", true, "flights:book"), new Attempt("payments.charge", false, "payments:charge"));
    }

    [Fact]
    public async Task Guarded_kernel_function_in_a_MEAI_loop_whose_services_hold_the_parents_kernel()
    {
        // Worse: the provider's Kernel is Alice's agent kernel, so the nested payment would run as Alice.
        using var w = await HeldOutWorld.CreateAsync();
        var alice = w.AgentKernel(w.Alice);
        using var sp = HeldOutWorld.ServicesWithKernel(alice);
        var model = new ScriptedChatClient("carol", ["trip_book_and_pay"]).WithTravelItem();

        await w.CheckAsync(async () =>
        {
            await Task.CompletedTask;
            var carol = w.AgentKernel(w.Carol);
            var tools = carol.GuardAIFunctions(carol.Plugins["trip"]);
            var client = new ChatClientBuilder(model).UseFunctionInvocation().Build(sp);
            return () => client.GetResponseAsync("go", new ChatOptions { Tools = tools });
        }, "agent:carol", new Attempt("trip.book_and_pay", true, "flights:book"), new Attempt("payments.charge", false, "payments:charge"));
    }

    [Fact]
    public async Task GetPassportToolsAsync_in_a_MEAI_loop_whose_services_have_AddKernel()
    {
        using var w = await HeldOutWorld.CreateAsync();
        using var sp = w.PlainKernelServices();
        var model = new ScriptedChatClient("carol", ["trip_book_and_pay"]).WithTravelItem();

        await w.CheckAsync(async () =>
        {
            var carol = w.AgentKernel(w.Carol);
            var tools = await carol.GetPassportToolsAsync();
            var client = new ChatClientBuilder(model).UseFunctionInvocation().Build(sp);
            return () => client.GetResponseAsync("go", new ChatOptions { Tools = tools });
        }, "agent:carol", new Attempt("trip.book_and_pay", true, "flights:book"), new Attempt("payments.charge", false, "payments:charge"));
    }

    [Fact]
    public async Task Unguarded_kernel_functions_in_a_MEAI_loop_are_still_checked_where_the_body_runs()
    {
        // "Make the function itself carry the check": Carol's own kernel functions handed straight to a MEAI loop
        // (as services.AddChatClient(model).UseFunctionInvocation() builds it: the loop has a service provider).
        using var w = await HeldOutWorld.CreateAsync();
        using var sp = new ServiceCollection().BuildServiceProvider();

        await w.CheckAsync(async () =>
        {
            await Task.CompletedTask;
            var carol = w.AgentKernel(w.Carol);
            AIFunction charge = carol.Plugins["payments"]["charge"];
            var model = new ScriptedChatClient("carol", [charge.Name]).WithTravelItem();
            var client = new ChatClientBuilder(model).UseFunctionInvocation().Build(sp);
            return () => client.GetResponseAsync("go", new ChatOptions { Tools = [charge] });
        }, "agent:carol", new Attempt("payments.charge", false, "payments:charge"));
    }
}
