using AgentPassport.AgentFramework;
using AgentPassport.AgentFramework.Tests.Support;
using AgentPassport.Testing;
using AgentPassport.TestSupport.Adapters;
using Microsoft.Agents.AI;
using Microsoft.Extensions.AI;

namespace AgentPassport.AgentFramework.Tests;

/// <summary>An orchestrator agent hands work to a sub-agent at run time, from inside one of its own tool calls.</summary>
public sealed class OrchestratorDelegationTests : IDisposable
{
    private readonly PassportFixture _f = new();
    private readonly ToolBodies _bodies = new();

    public void Dispose() => _f.Dispose();

    [Fact]
    public async Task Sub_agent_runs_under_a_child_of_the_orchestrators_Passport()
    {
        var delegation = new PassportAgentDelegator(_f.Delegator, _f.Authorizer);
        var bobModel = new ScriptedChatClient("bob", ["hotels_book", "payments_charge"]).WithTravelItem();
        AIAgent? alice = null;
        var askBob = AIFunctionFactory.Create(
            async (string item) =>
            {
                var bob = await delegation.DelegateAsync(alice!, new ChatClientAgent(bobModel, name: "bob", tools: _bodies.Scoped()), new DelegationRequest
                {
                    AgentId = "agent:bob",
                    AgentModel = "model-b",
                    Audience = PassportFixture.ToolsAudience,
                    ToolScope = ["hotels:book"],
                    TaskPurpose = "book " + item,
                });
                return (await bob.RunAsync("book a hotel for " + item)).Text;
            },
            new AIFunctionFactoryOptions { Name = "ask_bob" }).WithPassportScope("hotels:delegate");
        var aliceModel = new ScriptedChatClient("alice", ["ask_bob"]).WithTravelItem();
        alice = await delegation.CreateAgentAsync(new ChatClientAgent(aliceModel, name: "alice", tools: [askBob]), new RootPassportRequest
        {
            Identity = PassportFixture.Identity(),
            AgentId = "agent:alice",
            AgentModel = "model-a",
            Audience = PassportFixture.ToolsAudience,
            ToolScope = ["hotels:*", "payments:charge"],
            TaskPurpose = "plan a trip",
        });

        var response = await alice.RunAsync("get Bob to book the hotel");

        Assert.Equal(1, _bodies.Runs("hotels_book"));
        Assert.Equal(0, _bodies.Runs("payments_charge"));   // Alice may charge; Bob's child Passport may not
        Assert.Equal("alice: done", response.Text);
        var tree = DelegationTree.Build(_f.Sink.Events);
        var aliceNode = Assert.Single(Assert.Single(tree.Principals).Agents);
        Assert.Equal("agent:bob", Assert.Single(aliceNode.Children).AgentId);
        Assert.Equal(["allowed hotels:delegate"], TreeAssert.Decisions(tree, "agent:alice"));
        Assert.Equal(["allowed hotels:book", "denied payments:charge"], TreeAssert.Decisions(tree, "agent:bob"));
    }

    [Fact]
    public async Task Tools_already_guarded_are_authorized_once()
    {
        var (_, _, carol) = await _f.AliceBobCarolAsync();
        var model = new ScriptedChatClient("carol", ["flights_book"]).WithTravelItem();
        var guarded = _bodies.Plain().GuardWithPassport(_f.Authorizer, carol, ToolBodies.Map());
        var agent = new ChatClientAgent(model, name: "carol", tools: guarded).AsBuilder().UseAgentPassport(_f.Authorizer, carol).Build();

        await agent.RunAsync("book");

        Assert.Equal(1, _bodies.Runs("flights_book"));
        Assert.Equal(["agent:carol allowed flights:book"], _f.Decisions());
    }
}
