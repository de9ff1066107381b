using AgentPassport.Integrations.Tests.HeldOut.Support;
using AgentPassport.Testing;
using AgentPassport.TestSupport.Adapters;
using Microsoft.Agents.AI;
using Microsoft.Extensions.AI;
using Microsoft.SemanticKernel;

namespace AgentPassport.Integrations.Tests.HeldOut;

/// <summary>
/// Issue 12 items 3 and 10: a sub-agent (Carol) holding objects of its parent (Alice): her guards, her tool lists, her
/// kernel-bound functions, her Passport chat client. Carol executes, so Carol is checked and named — or setup is refused.
/// </summary>
[Trait("Category", "HeldOut")]
public sealed class CrossAgentGuardTests
{
    public static TheoryData<string, string, bool, string> CarolCalls() => new()
    {
        { "payments_charge", "payments_charge", false, "payments:charge" },
        { "hotels_book", "hotels_book", false, "hotels:book" },
        { "flights_book", "flights_book", true, "flights:book" },
    };

    public static TheoryData<string, string, bool, string> CarolKernelCalls() => new()
    {
        { "payments_charge", "payments.charge", false, "payments:charge" },
        { "hotels_book", "hotels.book", false, "hotels:book" },
        { "flights_book", "flights.book", true, "flights:book" },
    };

    [Fact]
    public async Task Carol_guards_plugin_AsAIFunctions_bound_to_Alices_kernel()
    {
        // Item 10.
        using var w = await HeldOutWorld.CreateAsync();
        var model = new ScriptedChatClient("carol", ["trip_book_and_pay"]).WithTravelItem();

        await w.CheckAsync(async () =>
        {
            await Task.CompletedTask;
            var alice = w.AgentKernel(w.Alice);
            var carol = w.AgentKernel(w.Carol);
            var tools = carol.GuardAIFunctions(alice.Plugins["trip"].AsAIFunctions(alice));
            var client = new ChatClientBuilder(model).UseFunctionInvocation().Build();
            return () => client.GetResponseAsync("go", new ChatOptions { Tools = tools });
        }, "agent:carol", new Attempt("trip.book_and_pay", true, "flights:book"), new Attempt("payments.charge", false, "payments:charge"));
    }

    [Theory]
    [MemberData(nameof(CarolKernelCalls))]
    public async Task Alices_GetPassportToolsAsync_handed_to_Carols_agent(string call, string body, bool allowed, string scope)
    {
        // Item 3: the parent's guarded tools given to a sub-agent with its own Passport middleware.
        using var w = await HeldOutWorld.CreateAsync();
        var model = new ScriptedChatClient("carol", [call]).WithTravelItem();

        await w.CheckAsync(async () =>
        {
            var alice = w.AgentKernel(w.Alice);
            var tools = await alice.GetPassportToolsAsync();
            var agent = new ChatClientAgent(model, name: "carol", tools: [.. tools]).AsBuilder().UseAgentPassport(w.Authorizer, w.Carol).Build();
            return () => agent.RunAsync("go");
        }, "agent:carol", new Attempt(body, allowed, scope));
    }

    [Theory]
    [MemberData(nameof(CarolCalls))]
    public async Task Alices_guards_given_straight_to_Carols_Passport_chat_client(string call, string body, bool allowed, string scope)
    {
        using var w = await HeldOutWorld.CreateAsync();
        var model = new ScriptedChatClient("carol", [call]).WithTravelItem();

        await w.CheckAsync(async () =>
        {
            await Task.CompletedTask;
            var aliceGuards = w.Tools().GuardWithPassport(w.Authorizer, w.Alice);
            var client = new ChatClientBuilder(model).UseAgentPassport(w.Authorizer, w.Carol, c => c.AdvertiseAllowedToolsOnly = false).UseFunctionInvocation().Build();
            return () => client.GetResponseAsync("go", new ChatOptions { Tools = aliceGuards });
        }, "agent:carol", new Attempt(body, allowed, scope));
    }

    [Theory]
    [MemberData(nameof(CarolCalls))]
    public async Task Alices_guards_wrapped_in_a_DelegatingAIFunction_given_to_Carols_Passport_chat_client(string call, string body, bool allowed, string scope)
    {
        using var w = await HeldOutWorld.CreateAsync();
        var model = new ScriptedChatClient("carol", [call]).WithTravelItem();

        await w.CheckAsync(async () =>
        {
            await Task.CompletedTask;
            var wrapped = w.Tools().GuardWithPassport(w.Authorizer, w.Alice).Select(t => (AITool)new LoggingAIFunction((AIFunction)t)).ToList();
            var client = new ChatClientBuilder(model).UseAgentPassport(w.Authorizer, w.Carol, c => c.AdvertiseAllowedToolsOnly = false).UseFunctionInvocation().Build();
            return () => client.GetResponseAsync("go", new ChatOptions { Tools = wrapped });
        }, "agent:carol", new Attempt(body, allowed, scope));
    }

    [Theory]
    [MemberData(nameof(CarolCalls))]
    public async Task Alices_guards_on_a_request_carrying_Carols_Passport(string call, string body, bool allowed, string scope)
    {
        // The client is Alice's; the request says it runs for Carol (WithPassport) and carries Alice's guards.
        using var w = await HeldOutWorld.CreateAsync();
        var model = new ScriptedChatClient("carol", [call]).WithTravelItem();

        await w.CheckAsync(async () =>
        {
            await Task.CompletedTask;
            var aliceGuards = w.Tools().GuardWithPassport(w.Authorizer, w.Alice);
            var client = new ChatClientBuilder(model).UseAgentPassport(w.Authorizer, w.Alice, c => c.AdvertiseAllowedToolsOnly = false).UseFunctionInvocation().Build();
            return () => client.GetResponseAsync("go", new ChatOptions { Tools = aliceGuards }.WithPassport(w.Carol));
        }, "agent:carol", new Attempt(body, allowed, scope));
    }

    [Theory]
    [MemberData(nameof(CarolCalls))]
    public async Task Re_guarding_Alices_guards_for_Carol_with_GuardWithPassport(string call, string body, bool allowed, string scope)
    {
        // A developer re-guards the tool list for the sub-agent; the existing guard must not keep Alice's authority.
        using var w = await HeldOutWorld.CreateAsync();
        var model = new ScriptedChatClient("carol", [call]).WithTravelItem();

        await w.CheckAsync(async () =>
        {
            await Task.CompletedTask;
            var forCarol = w.Tools().GuardWithPassport(w.Authorizer, w.Alice).Cast<AIFunction>().GuardWithPassport(w.Authorizer, w.Carol);
            var client = new ChatClientBuilder(model).UseFunctionInvocation().Build();
            return () => client.GetResponseAsync("go", new ChatOptions { Tools = forCarol });
        }, "agent:carol", new Attempt(body, allowed, scope));
    }

    [Theory]
    [MemberData(nameof(CarolCalls))]
    public async Task Re_guarding_Alices_guards_for_Carol_with_the_kernels_GuardAIFunctions(string call, string body, bool allowed, string scope)
    {
        // "Re-guarding a guard denies even allowed tools" (issue 12): the allowed control must run once, audited once.
        using var w = await HeldOutWorld.CreateAsync();
        var model = new ScriptedChatClient("carol", [call]).WithTravelItem();

        await w.CheckAsync(async () =>
        {
            await Task.CompletedTask;
            var carol = w.AgentKernel(w.Carol);
            var forCarol = carol.GuardAIFunctions(w.Tools().GuardWithPassport(w.Authorizer, w.Alice).Cast<AIFunction>());
            var client = new ChatClientBuilder(model).UseFunctionInvocation().Build();
            return () => client.GetResponseAsync("go", new ChatOptions { Tools = forCarol });
        }, "agent:carol", new Attempt(body, allowed, scope));
    }

    [Theory]
    [MemberData(nameof(CarolCalls))]
    public async Task Sub_agent_shares_its_parents_Passport_chat_client(string call, string body, bool allowed, string scope)
    {
        // Item 3: Carol's agent is built over Alice's Passport chat client and given its own Passport middleware.
        using var w = await HeldOutWorld.CreateAsync();
        var model = new ScriptedChatClient("carol", [call]).WithTravelItem();

        await w.CheckAsync(async () =>
        {
            await Task.CompletedTask;
            var parentsClient = new ChatClientBuilder(model).UseAgentPassport(w.Authorizer, w.Alice, c => c.AdvertiseAllowedToolsOnly = false).UseFunctionInvocation().Build();
            var carol = new ChatClientAgent(parentsClient, name: "carol", tools: [.. w.Tools()]).AsBuilder().UseAgentPassport(w.Authorizer, w.Carol).Build();
            return () => carol.RunAsync("go");
        }, "agent:carol", new Attempt(body, allowed, scope));
    }

    [Theory]
    [MemberData(nameof(CarolCalls))]
    public async Task One_chat_client_shared_by_two_agents_the_second_runs(string call, string body, bool allowed, string scope)
    {
        // Alice's and Carol's agents share one Passport chat client (Alice's); Carol runs.
        using var w = await HeldOutWorld.CreateAsync();
        var model = new ScriptedChatClient("shared", [call]).WithTravelItem();

        await w.CheckAsync(async () =>
        {
            await Task.CompletedTask;
            var shared = new ChatClientBuilder(model).UseAgentPassport(w.Authorizer, w.Alice, c => c.AdvertiseAllowedToolsOnly = false).UseFunctionInvocation().Build();
            var tools = w.Tools();
            _ = new ChatClientAgent(shared, name: "alice", tools: [.. tools]).AsBuilder().UseAgentPassport(w.Authorizer, w.Alice).Build();
            var carol = new ChatClientAgent(shared, name: "carol", tools: [.. tools]).AsBuilder().UseAgentPassport(w.Authorizer, w.Carol).Build();
            return () => carol.RunAsync("go");
        }, "agent:carol", new Attempt(body, allowed, scope));
    }

    [Theory]
    [MemberData(nameof(CarolCalls))]
    public async Task One_guarded_tool_list_shared_by_two_agents_the_second_runs(string call, string body, bool allowed, string scope)
    {
        // The tool list was guarded for Alice once and then given to both agents.
        using var w = await HeldOutWorld.CreateAsync();
        var model = new ScriptedChatClient("carol", [call]).WithTravelItem();

        await w.CheckAsync(async () =>
        {
            await Task.CompletedTask;
            var shared = w.Tools().GuardWithPassport(w.Authorizer, w.Alice);
            _ = new ChatClientAgent(new ScriptedChatClient("alice").WithTravelItem(), name: "alice", tools: [.. shared]).AsBuilder().UseAgentPassport(w.Authorizer, w.Alice).Build();
            var carol = new ChatClientAgent(model, name: "carol", tools: [.. shared]).AsBuilder().UseAgentPassport(w.Authorizer, w.Carol).Build();
            return () => carol.RunAsync("go");
        }, "agent:carol", new Attempt(body, allowed, scope));
    }

    [Theory]
    [MemberData(nameof(CarolCalls))]
    public async Task One_plain_tool_list_shared_by_two_agents_each_with_its_own_Passport(string call, string body, bool allowed, string scope)
    {
        // Control: plain tools shared by two agents, each with its own middleware; Carol runs after Alice.
        using var w = await HeldOutWorld.CreateAsync();
        var aliceModel = new ScriptedChatClient("alice", ["payments_charge"]).WithTravelItem();
        var model = new ScriptedChatClient("carol", [call]).WithTravelItem();
        var tools = w.Tools();
        var aliceAgent = new ChatClientAgent(aliceModel, name: "alice", tools: [.. tools]).AsBuilder().UseAgentPassport(w.Authorizer, w.Alice).Build();
        await aliceAgent.RunAsync("go");
        Assert.Equal(1, w.Bodies.Runs("payments_charge"));
        w.F.Sink.Clear();
        var before = w.Bodies.Runs(body);

        var carol = new ChatClientAgent(model, name: "carol", tools: [.. tools]).AsBuilder().UseAgentPassport(w.Authorizer, w.Carol).Build();
        await carol.RunAsync("go");

        Assert.Equal(before + (allowed ? 1 : 0), w.Bodies.Runs(body));
        var decision = Assert.Single(w.Decisions());
        Assert.Equal("agent:carol", decision.AgentId);
        Assert.Equal(scope, decision.RequiredScope);
        Assert.Equal(allowed ? PassportAuditEventKind.Allowed : PassportAuditEventKind.Denied, decision.Kind);
    }
}
