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

    /// <summary>Gets the revocation that stops this Passport (its own, or an ancestor's when <see cref="RevokedByAncestor"/>); null when none is recorded.</summary>
    public PassportAuditEvent? Revocation { get; private set; }

    /// <summary>Gets a value indicating whether this Passport is revoked because an ancestor is (cascading revocation).</summary>
    public bool RevokedByAncestor { get; private set; }

    /// <summary>Gets a value indicating whether a recorded revocation stops this Passport.</summary>
    public bool IsRevoked => Revocation is not null;

    /// <summary>Gets the tree-text label of the revocation, or an empty string.</summary>
    internal string RevocationLabel => Revocation is null ? "" : RevokedByAncestor ? " [REVOKED via ancestor]" : $" [REVOKED: {Revocation.RevocationKind switch
    {
        RevocationEntryKind.Subject => "principal",
        RevocationEntryKind.Agent => "agent",
        _ => "jti",
    }}]";

    internal void MarkRevoked(PassportAuditEvent revocation, bool byAncestor)
    {
        if (Revocation is not null && !RevokedByAncestor)
        {
            return;
        }

        Revocation = revocation;
        RevokedByAncestor = byAncestor;
    }

    internal void AddChild(DelegationTreeNode child) => _children.Add(child);

    internal void AddDecision(PassportAuditEvent decision) => _decisions.Add(decision);
}
