using AgentPassport.TestSupport.Adapters;

namespace AgentPassport.AgentFramework.Tests.Support;

/// <summary>Finds agents in a delegation tree and lists the decisions taken under each.</summary>
public static class TreeAssert
{
    public static DelegationTreeNode Node(DelegationTree tree, string agentId) =>
        tree.Principals.SelectMany(p => p.Agents).SelectMany(Flatten).Single(n => n.AgentId == agentId);

    public static IReadOnlyList<string> Decisions(DelegationTree tree, string agentId) =>
        Node(tree, agentId).Decisions
            .Select(d => $"{(d.Kind == PassportAuditEventKind.Allowed ? "allowed" : "denied")} {d.RequiredScope}")
            .Order(StringComparer.Ordinal)
            .ToList();

    /// <summary>Alice is a root under the principal, Bob her only child, Carol his only child.</summary>
    public static void AliceBobCarol(DelegationTree tree)
    {
        var principal = Assert.Single(tree.Principals);
        Assert.Equal(PassportFixture.Principal, principal.Principal);
        var alice = Assert.Single(principal.Agents);
        Assert.Equal("agent:alice", alice.AgentId);
        var bob = Assert.Single(alice.Children);
        Assert.Equal("agent:bob", bob.AgentId);
        Assert.Equal("agent:carol", Assert.Single(bob.Children).AgentId);
    }

    private static IEnumerable<DelegationTreeNode> Flatten(DelegationTreeNode node) => node.Children.SelectMany(Flatten).Prepend(node);
}
