using AgentPassport.AgentFramework.Tests.Support;
using AgentPassport.Testing;
using AgentPassport.TestSupport.Adapters;
using Microsoft.Agents.AI;
using Microsoft.Agents.AI.Workflows;
using Microsoft.Extensions.AI;

namespace AgentPassport.AgentFramework.Tests;

/// <summary>
/// Agent Framework workflows in which Alice, Bob and Carol each act under their own attenuated Passport (scripted models,
/// no network): allowed calls run once, denied calls never run, and the delegation tree records who did what.
/// </summary>
public sealed class WorkflowTests : IDisposable
{
    private readonly PassportFixture _f = new();
    private readonly ToolBodies _bodies = new();

    public void Dispose() => _f.Dispose();

    [Fact]
    public async Task Sequential()
    {
        var agents = await StandardAgentsAsync();

        await RunAsync(AgentWorkflowBuilder.BuildSequential(agents.Alice, agents.Bob, agents.Carol));

        AssertStandardOutcome();
        Assert.Equal(["agent:alice allowed payments:charge", "agent:bob allowed hotels:book", "agent:carol allowed flights:book", "agent:carol denied hotels:book"], _f.Decisions());
    }

    [Fact]
    public async Task Concurrent()
    {
        var agents = await StandardAgentsAsync();

        await RunAsync(AgentWorkflowBuilder.BuildConcurrent([agents.Alice, agents.Bob, agents.Carol]));

        AssertStandardOutcome();
    }

    [Fact]
    public async Task GroupChat()
    {
        var agents = await StandardAgentsAsync();

        await RunAsync(AgentWorkflowBuilder
            .CreateGroupChatBuilderWith(a => new RoundRobinGroupChatManager(a) { MaximumIterationCount = 3 })
            .AddParticipants(agents.Alice, agents.Bob, agents.Carol)
            .Build());

        AssertStandardOutcome();
    }

    [Fact]
    public async Task Handoff()
    {
        // Alice charges, then hands off to Bob; Bob books a hotel and hands off to Carol; Carol books a flight and tries a hotel.
        var agents = await TravelAgents.CreateAsync(_f, _bodies,
            alice: [["payments_charge"], ["handoff"]],
            bob: [["hotels_book"], ["handoff"]],
            carol: [["flights_book", "hotels_book"]]);

        await RunAsync(AgentWorkflowBuilder.CreateHandoffBuilderWith(agents.Alice)
            .WithHandoffs(agents.Alice, [agents.Bob])
            .WithHandoffs(agents.Bob, [agents.Carol])
            .Build());

        AssertStandardOutcome();
        Assert.Equal(["agent:alice allowed payments:charge", "agent:bob allowed hotels:book", "agent:carol allowed flights:book", "agent:carol denied hotels:book"], _f.Decisions());
        Assert.Equal(2, agents.Models[0].Requests);   // Alice: charge, then the handoff call
    }

    [Fact]
    public async Task Handoff_with_agents_over_passport_chat_clients()
    {
        // Advertising and enforcement at the chat-client layer; the workflow's handoff functions are declaration-only
        // (the workflow routes on them), so they must be let through explicitly.
        var (alice, bob, carol) = await _f.AliceBobCarolAsync();
        ChatClientAgent Agent(ScriptedChatClient model, PassportContext passport) => new(
            model.AsBuilder().UseAgentPassport(_f.Authorizer, passport, c => c.OfferDeclarationOnlyTools = true).UseFunctionInvocation().Build(),
            name: model.Name, description: model.Name + "'s agent", tools: _bodies.Scoped());
        var models = new[]
        {
            new ScriptedChatClient("alice", ["payments_charge"], ["handoff"]).WithTravelItem(),
            new ScriptedChatClient("bob", ["hotels_book"], ["handoff"]).WithTravelItem(),
            new ScriptedChatClient("carol", ["flights_book", "hotels_book"]).WithTravelItem(),
        };
        var (a, b, c) = (Agent(models[0], alice), Agent(models[1], bob), Agent(models[2], carol));

        await RunAsync(AgentWorkflowBuilder.CreateHandoffBuilderWith(a).WithHandoffs(a, [b]).WithHandoffs(b, [c]).Build());

        // Carol was never offered hotels_book: her call to it is answered "not found" by the loop, never run, never authorized.
        AssertStandardOutcome(carolsDenialAudited: false);
        Assert.DoesNotContain("hotels_book", models[2].OfferedTools[0]);
        Assert.Contains(models[2].OfferedTools[0], t => t == "flights_book");
    }

    private Task<TravelAgents> StandardAgentsAsync() => TravelAgents.CreateAsync(_f, _bodies,
        alice: [["payments_charge"]],
        bob: [["hotels_book"]],
        carol: [["flights_book", "hotels_book"]]);

    private void AssertStandardOutcome(bool carolsDenialAudited = true)
    {
        Assert.Equal(1, _bodies.Runs("payments_charge"));
        Assert.Equal(1, _bodies.Runs("hotels_book"));   // Bob's; Carol's was denied and never ran
        Assert.Equal(1, _bodies.Runs("flights_book"));

        var tree = DelegationTree.Build(_f.Sink.Events);
        TreeAssert.AliceBobCarol(tree);
        Assert.Equal(["allowed payments:charge"], TreeAssert.Decisions(tree, "agent:alice"));
        Assert.Equal(["allowed hotels:book"], TreeAssert.Decisions(tree, "agent:bob"));
        Assert.Equal(carolsDenialAudited ? ["allowed flights:book", "denied hotels:book"] : ["allowed flights:book"], TreeAssert.Decisions(tree, "agent:carol"));
        Assert.Empty(tree.Unattributed);
    }

    private static async Task RunAsync(Workflow workflow)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        await using var run = await InProcessExecution.RunStreamingAsync(workflow, new List<ChatMessage> { new(ChatRole.User, "plan and book SFO-JFK") }, cancellationToken: timeout.Token);
        await run.TrySendMessageAsync(new TurnToken(emitEvents: true));
        await foreach (var evt in run.WatchStreamAsync(timeout.Token))
        {
            switch (evt)
            {
                case WorkflowErrorEvent error:
                    throw new InvalidOperationException("workflow failed: " + error.Data);
                case ExecutorFailedEvent failed:
                    throw new InvalidOperationException("executor failed: " + failed.Data);
            }
        }
    }
}
