using AgentPassport.Integrations.Tests.HeldOut.Support;
using AgentPassport.Testing;
using AgentPassport.TestSupport.Adapters;
using Microsoft.Extensions.AI;
using Microsoft.SemanticKernel;

namespace AgentPassport.Integrations.Tests.HeldOut;

/// <summary>
/// Issue 12 item 7 and the new error kinds: functions with no plugin and no method are not "top-level prompts"; anything
/// that can run code without a resolvable requirement is denied as NoScopeRequirement; nothing attached is NoPassport.
/// </summary>
[Trait("Category", "HeldOut")]
public sealed class PluginlessFunctionTests
{
    private static KernelArguments Item() => new() { ["item"] = "SFO-JFK" };

    [Fact]
    public async Task AsKernelFunction_of_a_plain_AIFunction_invoked_directly_is_denied_NoScopeRequirement()
    {
        using var w = await HeldOutWorld.CreateAsync();

        var checkedRun = await w.CheckAsync(async () =>
        {
            await Task.CompletedTask;
            var alice = w.AgentKernel(w.Alice);
            var function = w.Tool("payments_charge", null).AsKernelFunction();
            return () => alice.InvokeAsync(function, Item());
        }, "agent:alice", new Attempt("payments_charge", false));

        if (checkedRun)
        {
            Assert.Equal("NoScopeRequirement", HeldOutWorld.KindName(w.Decisions()[0]));
        }
    }

    [Fact]
    public async Task AsKernelFunction_of_a_scoped_AIFunction_invoked_directly_never_runs_for_an_agent_without_the_scope()
    {
        using var w = await HeldOutWorld.CreateAsync();

        await w.CheckAsync(async () =>
        {
            await Task.CompletedTask;
            var carol = w.AgentKernel(w.Carol);
            var function = w.Tool("payments_charge").AsKernelFunction();
            return () => carol.InvokeAsync(function, Item());
        }, "agent:carol", new Attempt("payments_charge", false));
    }

    [Fact]
    public async Task AsKernelFunction_of_a_plain_AIFunction_streamed_is_denied_without_an_exception()
    {
        using var w = await HeldOutWorld.CreateAsync();
        Exception? thrown = null;

        await w.CheckAsync(async () =>
        {
            await Task.CompletedTask;
            var alice = w.AgentKernel(w.Alice);
            var function = w.Tool("payments_charge", null).AsKernelFunction();
            return async () =>
            {
                try
                {
                    await foreach (var _ in alice.InvokeStreamingAsync(function, Item()))
                    {
                    }
                }
                catch (Exception e) when (e is not InvalidOperationException)
                {
                    thrown = e;
                }
            };
        }, "agent:alice", new Attempt("payments_charge", false));

        Assert.True(thrown is null or AgentPassportException, "A streamed denial must not surface as " + thrown);
    }

    [Fact]
    public async Task A_method_function_without_a_plugin_invoked_directly_is_denied_NoScopeRequirement()
    {
        using var w = await HeldOutWorld.CreateAsync();

        var checkedRun = await w.CheckAsync(async () =>
        {
            await Task.CompletedTask;
            var alice = w.AgentKernel(w.Alice);
            var function = KernelFunctionFactory.CreateFromMethod((Kernel kernel, string item) => w.Bodies.Hit("loose.charge", kernel), "charge");
            return () => alice.InvokeAsync(function, Item());
        }, "agent:alice", new Attempt("loose.charge", false));

        if (checkedRun)
        {
            Assert.Equal("NoScopeRequirement", HeldOutWorld.KindName(w.Decisions()[0]));
        }
    }

    [Fact]
    public async Task A_real_prompt_function_still_runs_as_the_applications_own_prompt()
    {
        // Control: only real prompts pass as top-level, and they do pass.
        using var w = await HeldOutWorld.CreateAsync();
        var model = new ScriptedChatClient("alice").WithTravelItem();
        var alice = w.AgentKernel(w.Alice, s => Microsoft.Extensions.DependencyInjection.ServiceCollectionServiceExtensions.AddSingleton<IChatClient>(s, model));

        var result = await alice.InvokeAsync(alice.CreateFunctionFromPrompt("Say hello."));

        Assert.Null(result.GetPassportDenial());
        Assert.Equal(1, model.Requests);
        Assert.DoesNotContain(w.Decisions(), d => d.Kind == PassportAuditEventKind.Denied);
    }

    [Fact]
    public async Task A_MEAI_tool_without_a_resolvable_scope_is_denied_NoScopeRequirement()
    {
        using var w = await HeldOutWorld.CreateAsync();
        var model = new ScriptedChatClient("alice", ["payments_charge"]).WithTravelItem();

        var checkedRun = await w.CheckAsync(async () =>
        {
            await Task.CompletedTask;
            var client = new ChatClientBuilder(model).UseAgentPassport(w.Authorizer, w.Alice, c => c.AdvertiseAllowedToolsOnly = false).UseFunctionInvocation().Build();
            return () => client.GetResponseAsync("go", new ChatOptions { Tools = [w.Tool("payments_charge", null)] });
        }, "agent:alice", new Attempt("payments_charge", false));

        if (checkedRun)
        {
            Assert.Equal("NoScopeRequirement", HeldOutWorld.KindName(w.Decisions()[0]));
        }
    }

    [Fact]
    public async Task A_MEAI_request_without_any_Passport_is_denied_NoPassport()
    {
        using var w = await HeldOutWorld.CreateAsync();
        var model = new ScriptedChatClient("nobody", ["flights_book"]).WithTravelItem();

        var checkedRun = await w.CheckAsync(async () =>
        {
            await Task.CompletedTask;
            var client = new ChatClientBuilder(model).UseAgentPassport(w.Authorizer, context: null, c => c.AdvertiseAllowedToolsOnly = false).UseFunctionInvocation().Build();
            return () => client.GetResponseAsync("go", new ChatOptions { Tools = [.. w.Tools()] });
        }, null, new Attempt("flights_book", false));

        if (checkedRun)
        {
            Assert.Equal("NoPassport", HeldOutWorld.KindName(w.Decisions()[0]));
        }
    }

    [Fact]
    public async Task A_kernel_without_a_Passport_is_denied_NoPassport()
    {
        using var w = await HeldOutWorld.CreateAsync();

        var checkedRun = await w.CheckAsync(async () =>
        {
            await Task.CompletedTask;
            var kernel = w.AgentKernel(who: null);
            return () => kernel.InvokeAsync("flights", "book", Item());
        }, null, new Attempt("flights.book", false));

        if (checkedRun)
        {
            Assert.Equal("NoPassport", HeldOutWorld.KindName(w.Decisions()[0]));
        }
    }
}
