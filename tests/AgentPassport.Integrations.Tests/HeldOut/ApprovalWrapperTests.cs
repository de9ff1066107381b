using AgentPassport.Integrations.Tests.HeldOut.Support;
using AgentPassport.Testing;
using AgentPassport.TestSupport.Adapters;
using Microsoft.Agents.AI;
using Microsoft.Extensions.AI;

namespace AgentPassport.Integrations.Tests.HeldOut;

/// <summary>
/// Issue 12 item 9: ApprovalRequiredAIFunction around guards (and guards around it). After the human approves, the call
/// is decided once, for the executing agent; an approved but denied call still never runs.
/// </summary>
[Trait("Category", "HeldOut")]
public sealed class ApprovalWrapperTests
{
    public static TheoryData<string, bool, string> CarolCalls() => new()
    {
        { "payments_charge", false, "payments:charge" },
        { "flights_book", true, "flights:book" },
    };

    [Theory]
    [MemberData(nameof(CarolCalls))]
    public async Task Approval_around_Carols_guard_in_Carols_Passport_chat_client(string call, bool allowed, string scope)
    {
        using var w = await HeldOutWorld.CreateAsync();
        var model = new ScriptedChatClient("carol", [call]).WithTravelItem();

        await w.CheckAsync(async () =>
        {
            await Task.CompletedTask;
            var tools = w.Tools().GuardWithPassport(w.Authorizer, w.Carol).Select(t => (AITool)new ApprovalRequiredAIFunction((AIFunction)t)).ToList();
            var client = new ChatClientBuilder(model).UseAgentPassport(w.Authorizer, w.Carol, c => c.AdvertiseAllowedToolsOnly = false).UseFunctionInvocation().Build();
            return () => Approvals.RunApprovingAsync(client, new ChatOptions { Tools = tools });
        }, "agent:carol", new Attempt(call, allowed, scope));
    }

    [Theory]
    [MemberData(nameof(CarolCalls))]
    public async Task Approval_around_plain_tools_in_Carols_Passport_chat_client(string call, bool allowed, string scope)
    {
        using var w = await HeldOutWorld.CreateAsync();
        var model = new ScriptedChatClient("carol", [call]).WithTravelItem();

        await w.CheckAsync(async () =>
        {
            await Task.CompletedTask;
            var tools = w.Tools().Select(t => (AITool)new ApprovalRequiredAIFunction(t)).ToList();
            var client = new ChatClientBuilder(model).UseAgentPassport(w.Authorizer, w.Carol, c => c.AdvertiseAllowedToolsOnly = false).UseFunctionInvocation().Build();
            return () => Approvals.RunApprovingAsync(client, new ChatOptions { Tools = tools });
        }, "agent:carol", new Attempt(call, allowed, scope));
    }

    [Theory]
    [MemberData(nameof(CarolCalls))]
    public async Task Carols_guard_around_an_approval_wrapper_in_a_plain_loop(string call, bool allowed, string scope)
    {
        using var w = await HeldOutWorld.CreateAsync();
        var model = new ScriptedChatClient("carol", [call]).WithTravelItem();

        await w.CheckAsync(async () =>
        {
            await Task.CompletedTask;
            var tools = w.Tools().Select(t => (AIFunction)new ApprovalRequiredAIFunction(t)).GuardWithPassport(w.Authorizer, w.Carol);
            var client = new ChatClientBuilder(model).UseFunctionInvocation().Build();
            return () => Approvals.RunApprovingAsync(client, new ChatOptions { Tools = tools });
        }, "agent:carol", new Attempt(call, allowed, scope));
    }

    [Theory]
    [MemberData(nameof(CarolCalls))]
    public async Task Approval_around_Carols_guard_in_Carols_agent(string call, bool allowed, string scope)
    {
        using var w = await HeldOutWorld.CreateAsync();
        var model = new ScriptedChatClient("carol", [call]).WithTravelItem();

        await w.CheckAsync(async () =>
        {
            await Task.CompletedTask;
            var tools = w.Tools().GuardWithPassport(w.Authorizer, w.Carol).Select(t => (AITool)new ApprovalRequiredAIFunction((AIFunction)t)).ToList();
            var agent = new ChatClientAgent(model, name: "carol", tools: tools).AsBuilder().UseAgentPassport(w.Authorizer, w.Carol).Build();
            return () => Approvals.RunApprovingAsync(agent);
        }, "agent:carol", new Attempt(call, allowed, scope));
    }

    [Theory]
    [MemberData(nameof(CarolCalls))]
    public async Task Approval_around_Alices_guard_in_Carols_agent(string call, bool allowed, string scope)
    {
        using var w = await HeldOutWorld.CreateAsync();
        var model = new ScriptedChatClient("carol", [call]).WithTravelItem();

        await w.CheckAsync(async () =>
        {
            await Task.CompletedTask;
            var tools = w.Tools().GuardWithPassport(w.Authorizer, w.Alice).Select(t => (AITool)new ApprovalRequiredAIFunction((AIFunction)t)).ToList();
            var agent = new ChatClientAgent(model, name: "carol", tools: tools).AsBuilder().UseAgentPassport(w.Authorizer, w.Carol).Build();
            return () => Approvals.RunApprovingAsync(agent);
        }, "agent:carol", new Attempt(call, allowed, scope));
    }

    [Theory]
    [MemberData(nameof(CarolCalls))]
    public async Task Approval_around_Alices_guard_in_Carols_Passport_chat_client(string call, bool allowed, string scope)
    {
        using var w = await HeldOutWorld.CreateAsync();
        var model = new ScriptedChatClient("carol", [call]).WithTravelItem();

        await w.CheckAsync(async () =>
        {
            await Task.CompletedTask;
            var tools = w.Tools().GuardWithPassport(w.Authorizer, w.Alice).Select(t => (AITool)new ApprovalRequiredAIFunction((AIFunction)t)).ToList();
            var client = new ChatClientBuilder(model).UseAgentPassport(w.Authorizer, w.Carol, c => c.AdvertiseAllowedToolsOnly = false).UseFunctionInvocation().Build();
            return () => Approvals.RunApprovingAsync(client, new ChatOptions { Tools = tools });
        }, "agent:carol", new Attempt(call, allowed, scope));
    }
}
