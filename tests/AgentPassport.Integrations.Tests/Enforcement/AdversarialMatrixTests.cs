using AgentPassport.Extensions.AI;
using AgentPassport.Testing;
using AgentPassport.TestSupport.Adapters;
using Microsoft.Agents.AI;
using Microsoft.Extensions.AI;

namespace AgentPassport.Integrations.Tests.Enforcement;

/// <summary>
/// The Microsoft.Extensions.AI and Agent Framework items of the enforcement issue, one test each, counting real tool-body
/// executions and audit decisions. Alice holds flights:*, hotels:*, payments:charge; Carol only flights:book.
/// </summary>
public sealed class AdversarialMatrixTests : IDisposable
{
    private readonly PassportFixture _f = new();
    private readonly ToolBodies _bodies = new();

    public void Dispose() => _f.Dispose();

    // Item 3: a sub-agent handed its parent's guarded tools. The old middleware skipped any tool holding a guard, so the
    // parent's guard decided: hotels.book ran under Carol and the audit named Alice.
    [Fact]
    public async Task Item3_ParentsGuardedTools_InASubAgent_AreDecidedForTheSubAgent_Once()
    {
        var (alice, _, carol) = await _f.AliceBobCarolAsync();
        var aliceTools = _bodies.Scoped().Cast<AIFunction>().GuardWithPassport(_f.Authorizer, alice);
        var model = new ScriptedChatClient("carol", ["hotels_book"], ["flights_book"]).WithTravelItem();
        var agent = new ChatClientAgent(model, name: "carol", tools: aliceTools).AsBuilder().UseAgentPassport(_f.Authorizer, carol).Build();

        await agent.RunAsync("book a hotel");
        await agent.RunAsync("book a flight");

        Assert.Equal(0, _bodies.Runs("hotels_book"));
        Assert.Equal(1, _bodies.Runs("flights_book"));
        Assert.Equal(["agent:carol denied hotels:book", "agent:carol allowed flights:book"], _f.Decisions());
    }

    // Item 3: a sub-agent sharing its parent's Passport chat client. The old client decided Carol's calls as Alice's
    // (and Carol's middleware decided again): two decisions per call, the first one naming the wrong agent.
    [Fact]
    public async Task Item3_ASubAgentOnItsParentsPassportChatClient_IsRefused_AndNothingRuns()
    {
        var (alice, _, carol) = await _f.AliceBobCarolAsync();
        var model = new ScriptedChatClient("carol", ["hotels_book"]).WithTravelItem();
        var shared = new ChatClientBuilder(model).UseAgentPassport(_f.Authorizer, alice).UseFunctionInvocation().Build();
        var agent = new ChatClientAgent(shared, name: "carol", tools: _bodies.Scoped()).AsBuilder().UseAgentPassport(_f.Authorizer, carol).Build();

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => agent.RunAsync("book a hotel"));

        Assert.Contains("shared between agents", error.Message, StringComparison.Ordinal);
        Assert.Equal(0, _bodies.Total);
        Assert.Equal(0, model.Requests);
        Assert.Empty(_f.Decisions());
    }

    // A shared Passport chat client without a Passport of its own works per agent: the running agent's Passport applies,
    // once per call. The old client denied every call (no Passport) and Carol's middleware decided a second time.
    [Fact]
    public async Task Item3_ASharedChatClientWithoutAPassport_DecidesForTheRunningAgent_Once()
    {
        var (alice, _, carol) = await _f.AliceBobCarolAsync();
        var model = new ScriptedChatClient("shared", ["hotels_book"], [], ["hotels_book"]).WithTravelItem();
        var shared = new ChatClientBuilder(model).UseAgentPassport(_f.Authorizer, context: null, c => c.AdvertiseAllowedToolsOnly = false).UseFunctionInvocation().Build();
        var aliceAgent = new ChatClientAgent(shared, name: "alice", tools: _bodies.Scoped()).AsBuilder().UseAgentPassport(_f.Authorizer, alice).Build();
        var carolAgent = new ChatClientAgent(shared, name: "carol", tools: _bodies.Scoped()).AsBuilder().UseAgentPassport(_f.Authorizer, carol).Build();

        await aliceAgent.RunAsync("book a hotel");
        await carolAgent.RunAsync("book a hotel");

        Assert.Equal(1, _bodies.Runs("hotels_book"));
        Assert.Equal(["agent:alice allowed hotels:book", "agent:carol denied hotels:book"], _f.Decisions());
    }

    // Item 5: the loop's AdditionalTools run past the agent middleware. The old adapter ran payments.charge for Carol, unaudited.
    [Fact]
    public void Item5_AgentFramework_UnguardedAdditionalTools_AreRefusedAtBuild()
    {
        var model = new ScriptedChatClient("carol", ["payments_charge"]).WithTravelItem();
        var loop = new ChatClientBuilder(model).UseFunctionInvocation(configure: f => f.AdditionalTools = [.. _bodies.Scoped()]).Build();
        var agent = new ChatClientAgent(loop, name: "carol");
        var context = new PassportContext("placeholder.token.value");

        var error = Assert.Throws<InvalidOperationException>(() => agent.AsBuilder().UseAgentPassport(_f.Authorizer, context).Build());

        Assert.Contains("AdditionalTools", error.Message, StringComparison.Ordinal);
        Assert.Equal(0, _bodies.Total);
        Assert.Equal(0, model.Requests);
    }

    // Item 5, control: AdditionalTools already guarded for the agent are accepted, and decided once.
    [Fact]
    public async Task Item5_AdditionalToolsGuardedForTheAgent_RunUnderItsPassport_Once()
    {
        var (_, _, carol) = await _f.AliceBobCarolAsync();
        var guarded = _bodies.Scoped().Cast<AIFunction>().GuardWithPassport(_f.Authorizer, carol);
        var model = new ScriptedChatClient("carol", ["flights_book", "payments_charge"]).WithTravelItem();
        var loop = new ChatClientBuilder(model).UseFunctionInvocation(configure: f => f.AdditionalTools = guarded).Build();
        var agent = new ChatClientAgent(loop, name: "carol").AsBuilder().UseAgentPassport(_f.Authorizer, carol).Build();

        await agent.RunAsync("pay and book");

        Assert.Equal(0, _bodies.Runs("payments_charge"));
        Assert.Equal(1, _bodies.Runs("flights_book"));
        Assert.Equal(["agent:carol allowed flights:book", "agent:carol denied payments:charge"], _f.Decisions());
    }

    // Item 6: a tool added for one run through the run's chat client factory is decided for the agent like any other.
    [Fact]
    public async Task Item6_ToolsAddedPerRun_ThroughTheRunsChatClientFactory_AreEnforced()
    {
        var (_, _, carol) = await _f.AliceBobCarolAsync();
        var extra = _bodies.Scoped();
        var model = new ScriptedChatClient("carol", ["payments_charge"]).WithTravelItem();
        var agent = new ChatClientAgent(model, name: "carol").AsBuilder().UseAgentPassport(_f.Authorizer, carol).Build();
        var options = new ChatClientAgentRunOptions
        {
            ChatClientFactory = client => client.AsBuilder().ConfigureOptions(o => o.Tools = [.. o.Tools ?? [], .. extra]).Build(),
        };

        await agent.RunAsync("pay", options: options);

        Assert.Equal(0, _bodies.Total);
        Assert.Equal(["agent:carol denied payments:charge"], _f.Decisions());
    }

    // Item 6: a run's factory that puts its own function loop around the agent's client (that loop would run tools the
    // Passport never sees), or that ignores the client it is given, is refused before the model is called.
    [Fact]
    public async Task Item6_ARunFactoryWithItsOwnLoop_OrThatDropsTheAgentsClient_IsRefused()
    {
        var (_, _, carol) = await _f.AliceBobCarolAsync();
        var model = new ScriptedChatClient("carol", ["payments_charge"]).WithTravelItem();
        var agent = new ChatClientAgent(model, name: "carol").AsBuilder().UseAgentPassport(_f.Authorizer, carol).Build();
        var extra = _bodies.Scoped();
        var ownLoop = new ChatClientAgentRunOptions
        {
            ChatClientFactory = client => client.AsBuilder().UseFunctionInvocation(configure: l => l.AdditionalTools = extra).Build(),
        };
        var dropsClient = new ChatClientAgentRunOptions
        {
            ChatClientFactory = _ => new ChatClientBuilder(model).UseFunctionInvocation().Build(),
        };

        await Assert.ThrowsAsync<InvalidOperationException>(() => agent.RunAsync("pay", options: ownLoop));
        await Assert.ThrowsAsync<InvalidOperationException>(() => agent.RunAsync("pay", options: dropsClient));

        Assert.Equal(0, _bodies.Total);
        Assert.Equal(0, model.Requests);
        Assert.Empty(_f.Decisions());
    }

    // Item 9: an approval wrapper around a guarded tool. The old client checked the exact type, guarded it again, and the
    // approved call was decided twice.
    [Fact]
    public async Task Item9_ApprovalWrappedGuardedTool_IsDecidedOnce()
    {
        var (_, _, carol) = await _f.AliceBobCarolAsync();
        var guarded = (AIFunction)Assert.Single(new[] { _bodies.Plain()[0].WithPassportScope("flights:book") }.GuardWithPassport(_f.Authorizer, carol));
        var model = new ScriptedChatClient("carol", ["flights_book"]).WithTravelItem();
        using var client = new ChatClientBuilder(model).UseAgentPassport(_f.Authorizer, carol).UseFunctionInvocation().Build();
        var tools = new ChatOptions { Tools = [new ApprovalRequiredAIFunction(guarded)] };

        var first = await client.GetResponseAsync("book", tools);
        var request = first.Messages.SelectMany(m => m.Contents).OfType<ToolApprovalRequestContent>().Single();
        List<ChatMessage> conversation = [new(ChatRole.User, "book"), .. first.Messages, new(ChatRole.User, [request.CreateResponse(approved: true)])];
        await client.GetResponseAsync(conversation, tools);

        Assert.Equal(1, _bodies.Runs("flights_book"));
        Assert.Equal(["agent:carol allowed flights:book"], _f.Decisions());
    }

    // Re-guarding for the same agent keeps one guard: GuardWithPassport over an approval-wrapped guard adds nothing.
    [Fact]
    public async Task ReGuardingForTheSameAgent_DoesNotAddASecondDecision()
    {
        var (_, _, carol) = await _f.AliceBobCarolAsync();
        var once = _bodies.Scoped().Cast<AIFunction>().GuardWithPassport(_f.Authorizer, carol);
        var twice = once.Select(t => (AIFunction)new ApprovalRequiredAIFunction((AIFunction)t)).GuardWithPassport(_f.Authorizer, carol);

        Assert.All(twice, t => Assert.IsType<ApprovalRequiredAIFunction>(t));
        var model = new ScriptedChatClient("carol", ["flights_book"]).WithTravelItem();
        using var loop = new ChatClientBuilder(model).UseFunctionInvocation().Build();
        await loop.GetResponseAsync("book", new ChatOptions { Tools = [.. once.Cast<AIFunction>().GuardWithPassport(_f.Authorizer, carol)] });

        Assert.Equal(1, _bodies.Runs("flights_book"));
        Assert.Equal(["agent:carol allowed flights:book"], _f.Decisions());
    }

    // The denial the model reads names the real kind: an expired Passport is not "requires scope".
    [Fact]
    public async Task DenialText_NamesTheRealKind_WithoutDetails()
    {
        var (_, _, carol) = await _f.AliceBobCarolAsync();
        _f.Time.Advance(TimeSpan.FromMinutes(10));
        var model = new ScriptedChatClient("carol", ["flights_book"]).WithTravelItem();
        using var client = new ChatClientBuilder(model).UseAgentPassport(_f.Authorizer, carol, c => c.AdvertiseAllowedToolsOnly = false).UseFunctionInvocation().Build();

        var response = await client.GetResponseAsync("book", new ChatOptions { Tools = _bodies.Scoped() });

        var denial = Assert.Single(response.Messages.GetPassportDenials());
        Assert.Equal(PassportErrorKind.Expired, denial.Error.Kind);
        Assert.Equal("DENIED by Agent Passport: 'flights_book' was not run; it requires scope 'flights:book'. Reason: Expired.", denial.Message);
        Assert.Equal(0, _bodies.Total);
    }
}
