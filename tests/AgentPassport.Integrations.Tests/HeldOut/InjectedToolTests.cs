using AgentPassport.Integrations.Tests.HeldOut.Support;
using AgentPassport.Testing;
using AgentPassport.TestSupport.Adapters;
using Microsoft.Agents.AI;
using Microsoft.Extensions.AI;

namespace AgentPassport.Integrations.Tests.HeldOut;

/// <summary>
/// Issue 12 items 5 and 6: tools that reach the loop without passing through the adapter's options wrapping — the loop's
/// AdditionalTools, per-run ChatOptions, a run's ChatClientFactory, ConfigureOptions placed inside the Passport client.
/// </summary>
[Trait("Category", "HeldOut")]
public sealed class InjectedToolTests
{
    public static TheoryData<string, bool, string> CarolCalls() => new()
    {
        { "payments_charge", false, "payments:charge" },
        { "hotels_book", false, "hotels:book" },
        { "flights_book", true, "flights:book" },
    };

    [Theory]
    [MemberData(nameof(CarolCalls))]
    public async Task Agent_loop_with_AdditionalTools(string call, bool allowed, string scope)
    {
        using var w = await HeldOutWorld.CreateAsync();
        var model = new ScriptedChatClient("carol", [call]).WithTravelItem();

        await w.CheckAsync(async () =>
        {
            await Task.CompletedTask;
            var chat = new ChatClientBuilder(model).UseFunctionInvocation(configure: f => f.AdditionalTools = [.. w.Tools()]).Build();
            var agent = new ChatClientAgent(chat, name: "carol").AsBuilder().UseAgentPassport(w.Authorizer, w.Carol).Build();
            return () => agent.RunAsync("go");
        }, "agent:carol", new Attempt(call, allowed, scope));
    }

    [Theory]
    [MemberData(nameof(CarolCalls))]
    public async Task Agent_run_with_per_run_ChatOptions_tools(string call, bool allowed, string scope)
    {
        using var w = await HeldOutWorld.CreateAsync();
        var model = new ScriptedChatClient("carol", [call]).WithTravelItem();

        await w.CheckAsync(async () =>
        {
            await Task.CompletedTask;
            var agent = new ChatClientAgent(model, name: "carol").AsBuilder().UseAgentPassport(w.Authorizer, w.Carol).Build();
            var options = new ChatClientAgentRunOptions(new ChatOptions { Tools = [.. w.Tools()] });
            return () => agent.RunAsync("go", options: options);
        }, "agent:carol", new Attempt(call, allowed, scope));
    }

    [Theory]
    [MemberData(nameof(CarolCalls))]
    public async Task Agent_run_whose_ChatClientFactory_adds_tools_with_ConfigureOptions(string call, bool allowed, string scope)
    {
        using var w = await HeldOutWorld.CreateAsync();
        var model = new ScriptedChatClient("carol", [call]).WithTravelItem();

        await w.CheckAsync(async () =>
        {
            await Task.CompletedTask;
            var tools = w.Tools();
            var agent = new ChatClientAgent(model, name: "carol").AsBuilder().UseAgentPassport(w.Authorizer, w.Carol).Build();
            var options = new ChatClientAgentRunOptions
            {
                ChatClientFactory = c => c.AsBuilder().ConfigureOptions(o =>
                {
                    o.Tools ??= [];
                    foreach (var t in tools)
                    {
                        o.Tools.Add(t);
                    }
                }).Build(),
            };
            return () => agent.RunAsync("go", options: options);
        }, "agent:carol", new Attempt(call, allowed, scope));
    }

    [Theory]
    [MemberData(nameof(CarolCalls))]
    public async Task ConfigureOptions_inside_the_Passport_client_adds_tools_after_wrapping(string call, bool allowed, string scope)
    {
        using var w = await HeldOutWorld.CreateAsync();
        var model = new ScriptedChatClient("carol", [call]).WithTravelItem();

        await w.CheckAsync(async () =>
        {
            await Task.CompletedTask;
            var tools = w.Tools();
            var client = new ChatClientBuilder(model)
                .UseAgentPassport(w.Authorizer, w.Carol, c => c.AdvertiseAllowedToolsOnly = false)
                .ConfigureOptions(o =>
                {
                    o.Tools ??= [];
                    foreach (var t in tools)
                    {
                        o.Tools.Add(t);
                    }
                })
                .UseFunctionInvocation()
                .Build();
            return () => client.GetResponseAsync("go", new ChatOptions());
        }, "agent:carol", new Attempt(call, allowed, scope));
    }

    [Theory]
    [MemberData(nameof(CarolCalls))]
    public async Task Passport_client_whose_loop_has_another_agents_guards_as_AdditionalTools(string call, bool allowed, string scope)
    {
        // PassportChatClient accepts guarded AdditionalTools — but these are guarded for Alice, and Carol executes.
        using var w = await HeldOutWorld.CreateAsync();
        var model = new ScriptedChatClient("carol", [call]).WithTravelItem();

        await w.CheckAsync(async () =>
        {
            await Task.CompletedTask;
            var aliceGuards = w.Tools().GuardWithPassport(w.Authorizer, w.Alice);
            var client = new ChatClientBuilder(model)
                .UseAgentPassport(w.Authorizer, w.Carol, c => c.AdvertiseAllowedToolsOnly = false)
                .UseFunctionInvocation(configure: f => f.AdditionalTools = aliceGuards)
                .Build();
            return () => client.GetResponseAsync("go");
        }, "agent:carol", new Attempt(call, allowed, scope));
    }

    [Theory]
    [MemberData(nameof(CarolCalls))]
    public async Task Agent_over_a_Passport_client_whose_loop_has_AdditionalTools(string call, bool allowed, string scope)
    {
        using var w = await HeldOutWorld.CreateAsync();
        var model = new ScriptedChatClient("carol", [call]).WithTravelItem();

        await w.CheckAsync(async () =>
        {
            await Task.CompletedTask;
            var chat = new ChatClientBuilder(model)
                .UseAgentPassport(w.Authorizer, w.Carol, c => c.AdvertiseAllowedToolsOnly = false)
                .UseFunctionInvocation(configure: f => f.AdditionalTools = [.. w.Tools()])
                .Build();
            var agent = new ChatClientAgent(chat, name: "carol").AsBuilder().UseAgentPassport(w.Authorizer, w.Carol).Build();
            return () => agent.RunAsync("go");
        }, "agent:carol", new Attempt(call, allowed, scope));
    }
}
