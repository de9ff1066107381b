namespace AgentPassport;

/// <summary>
/// Who acted for whom and what each was allowed to do: principal → first agent → sub-agents, each node with its scopes,
/// audience and expiry and the decisions taken under it. Built from audit events (for example
/// <see cref="InMemoryPassportAuditSink.Events"/>); renders as text and as a Mermaid flowchart.
/// </summary>
public sealed class DelegationTree
{
    private DelegationTree(IReadOnlyList<DelegationTreePrincipal> principals, IReadOnlyList<PassportAuditEvent> unattributed)
    {
        Principals = principals;
        Unattributed = unattributed;
    }

    /// <summary>Gets the principals, in the order their first agent was minted.</summary>
    public IReadOnlyList<DelegationTreePrincipal> Principals { get; }

    /// <summary>Gets decisions whose Passport was never minted in these events (for example an unknown or undecodable token).</summary>
    public IReadOnlyList<PassportAuditEvent> Unattributed { get; }

    /// <summary>Builds the tree. Mint events make the nodes (linked by <c>parent_jti</c>); allow and deny events attach by <c>jti</c>; revocation events mark the Passports they stop and every descendant.</summary>
    /// <param name="events">The audit events, oldest first.</param>
    /// <returns>The tree.</returns>
    public static DelegationTree Build(IEnumerable<PassportAuditEvent> events)
    {
        ArgumentNullException.ThrowIfNull(events);
        var list = events.ToList();
        var nodes = new Dictionary<string, DelegationTreeNode>(StringComparer.Ordinal);
        var order = new List<DelegationTreeNode>();
        foreach (var e in list)
        {
            if (e.Kind == PassportAuditEventKind.Minted && e.TokenId is not null && !nodes.ContainsKey(e.TokenId))
            {
                var node = new DelegationTreeNode(e);
                nodes[e.TokenId] = node;
                order.Add(node);
            }
        }

        var roots = new List<DelegationTreeNode>();
        foreach (var node in order)
        {
            if (node.Minted.ParentTokenId is { } parentId && nodes.TryGetValue(parentId, out var parent))
            {
                parent.AddChild(node);
            }
            else
            {
                roots.Add(node);
            }
        }

        var unattributed = new List<PassportAuditEvent>();
        foreach (var e in list)
        {
            if (e.Kind is PassportAuditEventKind.Minted or PassportAuditEventKind.Revoked)
            {
                continue;
            }

            if (e.TokenId is not null && nodes.TryGetValue(e.TokenId, out var node))
            {
                node.AddDecision(e);
            }
            else
            {
                unattributed.Add(e);
            }
        }

        DelegationTreeRevocations.Mark(roots, list);
        var principals = roots
            .GroupBy(r => r.Minted.Principal ?? "?", StringComparer.Ordinal)
            .Select(g => new DelegationTreePrincipal(g.Key, g.First().Minted.Ial, g.ToList()))
            .ToList();
        return new DelegationTree(principals, unattributed);
    }

    /// <summary>Renders the tree as indented text.</summary>
    /// <returns>The text, one line per principal, agent and decision.</returns>
    public string ToText() => DelegationTreeText.Render(this);

    /// <summary>Renders the tree as a Mermaid flowchart.</summary>
    /// <returns>The Mermaid source (starting with <c>flowchart TD</c>).</returns>
    public string ToMermaid() => DelegationTreeMermaid.Render(this);

    /// <summary>Returns <see cref="ToText"/>.</summary>
    /// <returns>The text.</returns>
    public override string ToString() => ToText();
}
