using AgentPassport.SemanticKernel.Tests.Support;
using Microsoft.SemanticKernel;

namespace AgentPassport.SemanticKernel.Tests;

/// <summary>
/// Decisions made through every invocation path (SK auto-invocation, a Microsoft.Extensions.AI loop over kernel functions,
/// a direct kernel call, an Agent Framework agent) are audited once each, under the agent that executed them. How the tree
/// renders is the core's (tests/AgentPassport.Tests/Audit/DelegationTreeTests).
/// </summary>
public sealed class DecisionAttributionTests
{
    private static async Task<TravelFixture> RunScenarioAsync()
    {
        var f = new TravelFixture();
        var (alice, bob, carol) = await f.AliceBobCarolAsync();
        await PathRunner.RunAsync(InvocationPath.SkAutoInvocation, f, carol, "flights.book");
        await PathRunner.RunAsync(InvocationPath.MeaiLoopWithKernelFunctions, f, carol, "hotels.book");
        await PathRunner.RunAsync(InvocationPath.DirectKernelInvoke, f, carol, "payments.charge");
        await PathRunner.RunAsync(InvocationPath.DirectKernelInvoke, f, bob, "hotels.book");
        await PathRunner.RunAsync(InvocationPath.AgentFrameworkChatClientAgent, f, alice, "payments.charge");
        return f;
    }

    [Fact]
    public async Task Tree_MatchesTheAuditedDecisions_NodeByNode()
    {
        using var f = await RunScenarioAsync();

        var tree = DelegationTree.Build(f.Sink.Events);

        var alice = Assert.Single(Assert.Single(tree.Principals).Agents);
        var bob = Assert.Single(alice.Children);
        var carol = Assert.Single(bob.Children);
        Assert.Equal([("payments:charge", PassportAuditEventKind.Allowed)], alice.Decisions.Select(d => (d.RequiredScope, d.Kind)));
        Assert.Equal([("hotels:book", PassportAuditEventKind.Allowed)], bob.Decisions.Select(d => (d.RequiredScope, d.Kind)));
        Assert.Equal(
            [("flights:book", PassportAuditEventKind.Allowed), ("hotels:book", PassportAuditEventKind.Denied), ("payments:charge", PassportAuditEventKind.Denied)],
            carol.Decisions.Select(d => (d.RequiredScope, d.Kind)));
        Assert.Empty(tree.Unattributed);
        Assert.Equal(3, f.Counters.Total);
    }
}
