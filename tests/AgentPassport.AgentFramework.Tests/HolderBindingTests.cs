using AgentPassport.AgentFramework.Tests.Support;
using AgentPassport.Testing;
using AgentPassport.TestSupport.Adapters;
using Microsoft.Agents.AI;
using Microsoft.Extensions.AI;

namespace AgentPassport.AgentFramework.Tests;

/// <summary>Holder binding for Agent Framework agents in one process: each agent's key signs its calls; a stolen Passport without the key runs nothing.</summary>
public sealed class HolderBindingTests : IDisposable
{
    private readonly PassportFixture _f = new();
    private readonly ToolBodies _bodies = new();
    private readonly PassportHolderKey _aliceKey = PassportHolderKey.Generate();

    public void Dispose()
    {
        _aliceKey.Dispose();
        _f.Dispose();
    }

    [Fact]
    public async Task BoundAgents_RunTheirToolsWithProofs_AndSubAgentsHaveKeysOfTheirOwn()
    {
        var agents = await TravelAgents.CreateAsync(_f, _bodies, [], [], [["flights_book"]], _aliceKey);
        var carol = agents.Carol.GetPassport()!;
        Assert.NotNull(carol.HolderKey);
        Assert.NotEqual(_aliceKey.Thumbprint, carol.HolderKey.Thumbprint);

        await agents.Carol.RunAsync("book SFO-JFK");

        Assert.Equal(1, _bodies.Runs("flights_book"));
        var allowed = Assert.Single(_f.Sink.Events, e => e.Kind == PassportAuditEventKind.Allowed);
        Assert.Equal(carol.HolderKey.Thumbprint, allowed.HolderThumbprint);
    }

    [Fact]
    public async Task StolenLeaf_WithoutTheKey_RunsNothing()
    {
        var agents = await TravelAgents.CreateAsync(_f, _bodies, [], [], [], _aliceKey);
        var carol = agents.Carol.GetPassport()!;
        var model = new ScriptedChatClient("mallory", [["flights_book"]]).WithTravelItem();
        var thief = new ChatClientAgent(model, instructions: "You are mallory.", name: "mallory", tools: _bodies.Scoped())
            .AsBuilder().UseAgentPassport(_f.Authorizer, new PassportContext(carol.Token, carol.ChainTokens, carol.Audience)).Build();

        var response = await thief.RunAsync("book SFO-JFK");

        Assert.Equal(0, _bodies.Total);
        Assert.Equal(PassportErrorKind.ProofRequired, Assert.Single(response.Messages.GetPassportDenials()).Error.Kind);
    }

    [Fact]
    public async Task StolenParent_WithoutTheKey_CannotDelegate()
    {
        var agents = await TravelAgents.CreateAsync(_f, _bodies, [], [], [], _aliceKey);
        var bob = agents.Bob.GetPassport()!;
        using var thiefKey = PassportHolderKey.Generate();
        var delegation = new PassportAgentDelegator(_f.Delegator, _f.Authorizer);
        var sub = new ChatClientAgent(new ScriptedChatClient("mallory", []), name: "mallory");

        var ex = await Assert.ThrowsAsync<AgentPassportException>(() => delegation.DelegateAsync(new PassportContext(bob.Token, bob.ChainTokens, bob.Audience), sub,
            new DelegationRequest { AgentId = "agent:mallory", AgentModel = "m", Audience = PassportFixture.ToolsAudience, ToolScope = ["flights:book"], HolderThumbprint = thiefKey.Thumbprint }));
        Assert.Equal(PassportErrorKind.ProofRequired, ex.Kind);
    }
}
