namespace AgentPassport;

/// <summary>One minted Passport in a <see cref="DelegationTree"/>: the agent, what it was granted, and what it did.</summary>
public sealed class DelegationTreeNode
{
    private readonly List<DelegationTreeNode> _children = [];
    private readonly List<PassportAuditEvent> _decisions = [];

    internal DelegationTreeNode(PassportAuditEvent minted)
    {
        Minted = minted;
    }

    /// <summary>Gets the mint event the node stands for.</summary>
    public PassportAuditEvent Minted { get; }

    /// <summary>Gets the holder agent's id.</summary>
    public string AgentId => Minted.AgentId ?? "?";

    /// <summary>Gets the Passport's <c>jti</c>.</summary>
    public string TokenId => Minted.TokenId ?? "?";

    /// <summary>Gets the sub-agents' Passports minted from this one.</summary>
    public IReadOnlyList<DelegationTreeNode> Children => _children;

    /// <summary>Gets the allow and deny events recorded under this Passport, in order.</summary>
    public IReadOnlyList<PassportAuditEvent> Decisions => _decisions;

    internal void AddChild(DelegationTreeNode child) => _children.Add(child);

    internal void AddDecision(PassportAuditEvent decision) => _decisions.Add(decision);
}
