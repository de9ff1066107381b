using AgentPassport.Integrations.Tests.HeldOut.Support;
using AgentPassport.Testing;
using AgentPassport.TestSupport.Adapters;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.SemanticKernel;
using Microsoft.SemanticKernel.ChatCompletion;

namespace AgentPassport.Integrations.Tests.HeldOut;

/// <summary>
/// Streaming invocation and the IChatCompletionService path: a denial is a result (no InvalidCastException), it is in the
/// caller's ChatHistory, and the same one-decision-per-attempt rule holds.
/// </summary>
[Trait("Category", "HeldOut")]
public sealed class StreamingAndChatCompletionTests
{
    public static TheoryData<string, string, bool, string> CarolCalls() => new()
    {
        { "payments_charge", "payments.charge", false, "payments:charge" },
        { "flights_book", "flights.book", true, "flights:book" },
    };

    [Theory]
    [InlineData("payments", "charge", false)]
    [InlineData("flights", "book", true)]
    public async Task InvokeStreamingAsync_of_a_kernel_function(string plugin, string function, bool allowed)
    {
        using var w = await HeldOutWorld.CreateAsync();
        Exception? thrown = null;

        await w.CheckAsync(async () =>
        {
            await Task.CompletedTask;
            var carol = w.AgentKernel(w.Carol);
            return async () =>
            {
                try
                {
                    await foreach (var _ in carol.InvokeStreamingAsync(carol.Plugins[plugin][function], new KernelArguments { ["item"] = "x" }))
                    {
                    }
                }
                catch (Exception e) when (e is not InvalidOperationException)
                {
                    thrown = e;
                }
            };
        }, "agent:carol", new Attempt($"{plugin}.{function}", allowed, $"{plugin}:{function}"));

        Assert.True(thrown is null or AgentPassportException, "A streamed denial must be a result, not " + thrown);
    }

    [Theory]
    [MemberData(nameof(CarolCalls))]
    public async Task InvokePromptStreamingAsync_with_SK_auto_invocation(string call, string body, bool allowed, string scope)
    {
        using var w = await HeldOutWorld.CreateAsync();
        var model = new ScriptedChatClient("carol", [call]).WithTravelItem();

        await w.CheckAsync(async () =>
        {
            await Task.CompletedTask;
            var carol = w.AgentKernel(w.Carol, HeldOutWorld.SkLoop(model));
            return async () =>
            {
                await foreach (var _ in carol.InvokePromptStreamingAsync("go", HeldOutWorld.Auto()))
                {
                }
            };
        }, "agent:carol", new Attempt(body, allowed, scope));
    }

    [Theory]
    [MemberData(nameof(CarolCalls))]
    public async Task IChatCompletionService_over_SKs_loop_with_the_agent_kernel(string call, string body, bool allowed, string scope)
    {
        using var w = await HeldOutWorld.CreateAsync();
        var model = new ScriptedChatClient("carol", [call]).WithTravelItem();
        var history = new ChatHistory();
        history.AddUserMessage("go");
        IReadOnlyList<ChatMessageContent> returned = [];

        var checkedRun = await w.CheckAsync(async () =>
        {
            await Task.CompletedTask;
            var carol = w.AgentKernel(w.Carol, s => s.AddSingleton<IChatCompletionService>(sp =>
                new ChatClientBuilder(model).UseKernelFunctionInvocation().Build(sp).AsChatCompletionService(sp)));
            var chat = carol.GetRequiredService<IChatCompletionService>();
            var settings = new PromptExecutionSettings { FunctionChoiceBehavior = FunctionChoiceBehavior.Auto() };
            return async () => returned = await chat.GetChatMessageContentsAsync(history, settings, carol);
        }, "agent:carol", new Attempt(body, allowed, scope));

        if (checkedRun && !allowed)
        {
            // Documented (docs/semantic-kernel.md): a denial ends the loop, so the denial is the message the service
            // returns (SK adds only the earlier ones to the ChatHistory); the caller's usual history.AddRange(returned)
            // puts it in the history.
            Assert.NotEmpty(returned.GetPassportDenials());
            history.AddRange(returned);
            Assert.NotEmpty(history.GetPassportDenials());
        }
    }

    [Theory]
    [MemberData(nameof(CarolCalls))]
    public async Task IChatCompletionService_over_SKs_loop_streaming(string call, string body, bool allowed, string scope)
    {
        using var w = await HeldOutWorld.CreateAsync();
        var model = new ScriptedChatClient("carol", [call]).WithTravelItem();
        var history = new ChatHistory();
        history.AddUserMessage("go");

        await w.CheckAsync(async () =>
        {
            await Task.CompletedTask;
            var carol = w.AgentKernel(w.Carol, s => s.AddSingleton<IChatCompletionService>(sp =>
                new ChatClientBuilder(model).UseKernelFunctionInvocation().Build(sp).AsChatCompletionService(sp)));
            var chat = carol.GetRequiredService<IChatCompletionService>();
            var settings = new PromptExecutionSettings { FunctionChoiceBehavior = FunctionChoiceBehavior.Auto() };
            return async () =>
            {
                await foreach (var _ in chat.GetStreamingChatMessageContentsAsync(history, settings, carol))
                {
                }
            };
        }, "agent:carol", new Attempt(body, allowed, scope));
    }

    [Theory]
    [MemberData(nameof(CarolCalls))]
    public async Task IChatCompletionService_over_MEAIs_loop_in_the_agent_kernel(string call, string body, bool allowed, string scope)
    {
        // Item 1 through the IChatCompletionService door.
        using var w = await HeldOutWorld.CreateAsync();
        var model = new ScriptedChatClient("carol", [call]).WithTravelItem();
        var history = new ChatHistory();
        history.AddUserMessage("go");

        await w.CheckAsync(async () =>
        {
            await Task.CompletedTask;
            var carol = w.AgentKernel(w.Carol, s => s.AddSingleton<IChatCompletionService>(sp =>
                new ChatClientBuilder(model).UseFunctionInvocation().Build(sp).AsChatCompletionService(sp)));
            var chat = carol.GetRequiredService<IChatCompletionService>();
            var settings = new PromptExecutionSettings { FunctionChoiceBehavior = FunctionChoiceBehavior.Auto() };
            return () => chat.GetChatMessageContentsAsync(history, settings, carol);
        }, "agent:carol", new Attempt(body, allowed, scope));
    }
}
