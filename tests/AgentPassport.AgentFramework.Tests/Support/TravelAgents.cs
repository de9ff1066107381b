using AgentPassport.Testing;
using AgentPassport.TestSupport.Adapters;
using Microsoft.Agents.AI;
using Microsoft.Extensions.AI;

namespace AgentPassport.AgentFramework.Tests.Support;

/// <summary>
/// Alice, Bob and Carol as Agent Framework <see cref="ChatClientAgent"/>s, each with its own scripted model and the same
/// travel tools (scopes attached), each acting under its own Passport from the delegation service:
/// Alice (flights:*, hotels:*, payments:charge) → Bob (flights:*, hotels:book) → Carol (flights:book).
/// </summary>
public sealed class TravelAgents
{
    private TravelAgents(AIAgent alice, AIAgent bob, AIAgent carol, ScriptedChatClient[] models)
    {
        Alice = alice;
        Bob = bob;
        Carol = carol;
        Models = models;
    }

    public AIAgent Alice { get; }

    public AIAgent Bob { get; }

    public AIAgent Carol { get; }

    public IReadOnlyList<ScriptedChatClient> Models { get; }

    /// <param name="aliceKey">When given, Alice's root is bound to it and each sub-agent to a key of its own (spec v1.1 §11).</param>
    public static async Task<TravelAgents> CreateAsync(PassportFixture f, ToolBodies bodies, string[][] alice, string[][] bob, string[][] carol, PassportHolderKey? aliceKey = null)
    {
        var delegation = new AgentPassport.AgentFramework.PassportAgentDelegator(f.Delegator, f.Authorizer);
        var models = new[] { new ScriptedChatClient("alice", alice).WithTravelItem(), new ScriptedChatClient("bob", bob).WithTravelItem(), new ScriptedChatClient("carol", carol).WithTravelItem() };
        ChatClientAgent Agent(ScriptedChatClient model) =>
            new(model, instructions: $"You are {model.Name}.", name: model.Name, description: $"{model.Name}'s travel agent", tools: bodies.Scoped());

        var root = new RootPassportRequest
        {
            Identity = PassportFixture.Identity(),
            AgentId = "agent:alice",
            AgentModel = "model-a",
            Audience = PassportFixture.ToolsAudience,
            ToolScope = ["flights:*", "hotels:*", "payments:charge"],
            TaskPurpose = "plan a trip",
        };
        var a = aliceKey is null
            ? await delegation.CreateAgentAsync(Agent(models[0]), root)
            : Agent(models[0]).AsBuilder().UseAgentPassport(f.Authorizer, await f.Delegator.IssueRootAsync(root, aliceKey)).Build();
        var b = await delegation.DelegateAsync(a, Agent(models[1]), new DelegationRequest
        {
            AgentId = "agent:bob",
            AgentModel = "model-b",
            Audience = PassportFixture.ToolsAudience,
            ToolScope = ["flights:*", "hotels:book"],
            TaskPurpose = "book travel",
        });
        var c = await delegation.DelegateAsync(b, Agent(models[2]), new DelegationRequest
        {
            AgentId = "agent:carol",
            AgentModel = "model-c",
            Audience = PassportFixture.ToolsAudience,
            ToolScope = ["flights:book"],
            TaskPurpose = "book SFO-JFK",
            Ttl = TimeSpan.FromMinutes(2),
        });
        return new TravelAgents(a, b, c, models);
    }
}
