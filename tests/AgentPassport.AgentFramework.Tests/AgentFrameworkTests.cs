using AgentPassport.AgentFramework;
using AgentPassport.AgentFramework.Tests.Support;
using AgentPassport.Testing;
using AgentPassport.TestSupport.Adapters;
using Microsoft.Agents.AI;
using Microsoft.Extensions.AI;

namespace AgentPassport.AgentFramework.Tests;

/// <summary>Per-agent Passports for Agent Framework agents, and delegation to sub-agents.</summary>
public sealed class AgentFrameworkTests : IDisposable
{
    private readonly PassportFixture _f = new();
    private readonly ToolBodies _bodies = new();

    public void Dispose() => _f.Dispose();

    [Fact]
    public async Task Agent_middleware_runs_allowed_tools_and_never_runs_denied_ones()
    {
        var agents = await TravelAgents.CreateAsync(_f, _bodies, [], [], [["flights_book", "hotels_book"]]);

        var response = await agents.Carol.RunAsync("book SFO-JFK");

        Assert.Equal(1, _bodies.Runs("flights_book"));
        Assert.Equal(0, _bodies.Runs("hotels_book"));
        Assert.Equal(1, agents.Models[2].Requests);   // the denial stopped the loop
        var denial = Assert.Single(response.Messages.GetPassportDenials());
        Assert.Equal(PassportErrorKind.ScopeViolation, denial.Error.Kind);
        Assert.Equal(["agent:carol allowed flights:book", "agent:carol denied hotels:book"], _f.Decisions());
    }

    [Fact]
    public async Task Agent_middleware_streaming_enforces_the_same_way()
    {
        var agents = await TravelAgents.CreateAsync(_f, _bodies, [], [], [["payments_charge"]]);

        await foreach (var update in agents.Carol.RunStreamingAsync("pay"))
        {
            Assert.NotNull(update);
        }

        Assert.Equal(0, _bodies.Total);
        Assert.Equal(["agent:carol denied payments:charge"], _f.Decisions());
    }

    [Fact]
    public async Task Each_agent_carries_its_own_Passport()
    {
        var agents = await TravelAgents.CreateAsync(_f, _bodies, [], [], []);

        var alice = agents.Alice.GetPassport();
        var carol = agents.Carol.GetPassport();

        Assert.NotNull(alice);
        Assert.NotNull(carol);
        Assert.Equal("agent:alice", PassportReader.DecodeUnverified(alice.Token).AgentId);
        Assert.Equal("agent:carol", PassportReader.DecodeUnverified(carol.Token).AgentId);
        Assert.Equal(2, carol.ChainTokens.Count);
    }

    [Fact]
    public async Task A_widening_delegation_to_a_sub_agent_is_refused_and_audited()
    {
        var agents = await TravelAgents.CreateAsync(_f, _bodies, [], [], []);
        var delegation = new PassportAgentDelegator(_f.Delegator, _f.Authorizer);
        var sub = new ChatClientAgent(new ScriptedChatClient("dave").WithTravelItem(), name: "dave");

        var error = await Assert.ThrowsAsync<AgentPassportException>(() => delegation.DelegateAsync(agents.Carol, sub, new DelegationRequest
        {
            AgentId = "agent:dave",
            AgentModel = "model-d",
            Audience = PassportFixture.ToolsAudience,
            ToolScope = ["hotels:book"],
        }));

        Assert.Equal(PassportErrorKind.ScopeAttenuation, error.Kind);
        Assert.Contains(_f.Sink.Events, e => e.Kind == PassportAuditEventKind.Denied && e.ToolName == "delegate to agent:dave" && e.AgentId == "agent:carol");
        await Assert.ThrowsAsync<InvalidOperationException>(() => delegation.DelegateAsync(sub, sub, new DelegationRequest { AgentId = "agent:x", AgentModel = "m", Audience = PassportFixture.ToolsAudience, ToolScope = ["flights:book"] }));
    }

    [Fact]
    public async Task ChatClientAgent_over_a_passport_chat_client_is_offered_only_allowed_tools()
    {
        var (_, _, carol) = await _f.AliceBobCarolAsync();
        var model = new ScriptedChatClient("carol", ["flights_book"]).WithTravelItem();
        var agent = new ChatClientAgent(
            new ChatClientBuilder(model).UseAgentPassport(_f.Authorizer, carol).UseFunctionInvocation().Build(),
            name: "carol", tools: _bodies.Scoped());

        await agent.RunAsync("book");

        Assert.Equal(["flights_book"], model.OfferedTools[0]);
        Assert.Equal(1, _bodies.Runs("flights_book"));
        Assert.Equal(["agent:carol allowed flights:book"], _f.Decisions());
    }

    [Fact]
    public async Task ChatClientAgent_over_a_passport_chat_client_without_its_loop_refuses_to_run_tools()
    {
        // The agent adds its own FunctionInvokingChatClient outside the Passport client: the wrong order, refused.
        var (_, _, carol) = await _f.AliceBobCarolAsync();
        var model = new ScriptedChatClient("carol", ["hotels_book"]).WithTravelItem();
        var agent = new ChatClientAgent(new ChatClientBuilder(model).UseAgentPassport(_f.Authorizer, carol).Build(), name: "carol", tools: _bodies.Scoped());

        await Assert.ThrowsAsync<InvalidOperationException>(() => agent.RunAsync("book"));
        Assert.Equal(0, _bodies.Total);
        Assert.Equal(0, model.Requests);
    }
}
