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

    /// <summary>
    /// Builds one tree from several verified logs (one per process: the orchestrator's, each tool server's), joined by
    /// <c>jti</c> / <c>parent_jti</c>. Events are merged by time (ties keep the order of the logs given).
    /// </summary>
    /// <param name="logs">The verifications of the logs, each made with <see cref="PassportAuditLogVerifierOptions.KeepEvents"/>.</param>
    /// <returns>The tree.</returns>
    /// <exception cref="ArgumentException">A log did not verify: a tree is only drawn from logs shown to be unmodified.</exception>
    public static DelegationTree Build(IEnumerable<PassportAuditLogVerification> logs)
    {
        ArgumentNullException.ThrowIfNull(logs);
        var all = new List<PassportAuditEvent>();
        foreach (var log in logs)
        {
            if (!log.IsIntact)
            {
                throw new ArgumentException($"A log did not verify ({log.Fault} at seq {log.FirstBadSeq}); draw trees only from verified logs.", nameof(logs));
            }

            all.AddRange(log.Events);
        }

        return Build(all.OrderBy(e => e.Timestamp));
    }

    /// <summary>The part of the tree under the Passport <paramref name="tokenId"/> (with its principal), or null when no such Passport was minted.</summary>
    /// <param name="tokenId">The <c>jti</c> of the subtree's root.</param>
    /// <returns>The subtree, or null.</returns>
    public DelegationTree? Subtree(string tokenId)
    {
        ArgumentNullException.ThrowIfNull(tokenId);
        foreach (var principal in Principals)
        {
            if (principal.Agents.Select(a => Find(a, tokenId)).FirstOrDefault(n => n is not null) is { } node)
            {
                return new DelegationTree([new DelegationTreePrincipal(principal.Principal, principal.Ial, [node])], []);
            }
        }

        return null;

        static DelegationTreeNode? Find(DelegationTreeNode node, string jti) =>
            node.TokenId == jti ? node : node.Children.Select(c => Find(c, jti)).FirstOrDefault(n => n is not null);
    }

    /// <summary>Renders the tree as JSON (every string escaped by the JSON writer, so hostile names stay data).</summary>
    /// <returns>The JSON text.</returns>
    public string ToJson() => DelegationTreeJson.Render(this);

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
