using System.Globalization;
using System.Text;

namespace AgentPassport;

/// <summary>Renders a <see cref="DelegationTree"/> as a Mermaid flowchart: principals, agents and their decisions.</summary>
internal static class DelegationTreeMermaid
{
    public static string Render(DelegationTree tree)
    {
        var sb = new StringBuilder("flowchart TD\n");
        int principalIndex = 0, nodeIndex = 0, decisionIndex = 0;
        var allowed = new List<string>();
        var denied = new List<string>();
        var revoked = new List<string>();
        foreach (var principal in tree.Principals)
        {
            var pid = "p" + (principalIndex++).ToString(CultureInfo.InvariantCulture);
            var ial = principal.Ial is int level ? $"IAL {level.ToString(CultureInfo.InvariantCulture)}" : "no IAL";
            sb.Append(CultureInfo.InvariantCulture, $"  {pid}[\"principal {Escape(principal.Principal)}<br/>{ial}\"]\n");
            foreach (var agent in principal.Agents)
            {
                Node(agent, pid);
            }
        }

        foreach (var e in tree.Unattributed)
        {
            Decision(e, null);
        }

        sb.Append("  classDef allowed fill:#d4edda,stroke:#2e7d32\n");
        sb.Append("  classDef denied fill:#f8d7da,stroke:#c62828\n");
        if (allowed.Count > 0)
        {
            sb.Append("  class ").Append(string.Join(',', allowed)).Append(" allowed\n");
        }

        if (denied.Count > 0)
        {
            sb.Append("  class ").Append(string.Join(',', denied)).Append(" denied\n");
        }

        if (revoked.Count > 0)
        {
            sb.Append("  classDef revoked stroke:#c62828,stroke-width:3px,stroke-dasharray:5 3\n");
            sb.Append("  class ").Append(string.Join(',', revoked)).Append(" revoked\n");
        }

        return sb.ToString();

        void Node(DelegationTreeNode node, string parentId)
        {
            var id = "n" + (nodeIndex++).ToString(CultureInfo.InvariantCulture);
            var m = node.Minted;
            sb.Append(CultureInfo.InvariantCulture, $"  {id}[\"{Escape(node.AgentId)}<br/>scopes: {Escape(string.Join(", ", m.Scopes))}<br/>aud: {Escape(m.Audience ?? "?")}<br/>exp: {DelegationTreeText.Time(m.ExpiresAt)}{(m.TaskPurpose is null ? "" : "<br/>purpose: " + Escape(m.TaskPurpose))}{(m.Constraints is null ? "" : "<br/>constraints: " + Escape(m.Constraints))}{Escape(node.RevocationLabel)}\"]\n");
            if (node.IsRevoked)
            {
                revoked.Add(id);
            }

            sb.Append(CultureInfo.InvariantCulture, $"  {parentId} --> {id}\n");
            foreach (var d in node.Decisions)
            {
                Decision(d, id);
            }

            foreach (var child in node.Children)
            {
                Node(child, id);
            }
        }

        void Decision(PassportAuditEvent e, string? ownerId)
        {
            var id = "d" + (decisionIndex++).ToString(CultureInfo.InvariantCulture);
            sb.Append(CultureInfo.InvariantCulture, $"  {id}([\"{Entities(DelegationTreeText.Decision(e))}\"])\n");
            if (ownerId is not null)
            {
                sb.Append(CultureInfo.InvariantCulture, $"  {ownerId} -.-> {id}\n");
            }

            (e.Kind == PassportAuditEventKind.Allowed ? allowed : denied).Add(id);
        }
    }

    // Control characters first (a newline would end the node's line), then what Mermaid or its HTML labels would read.
    private static string Escape(string text) => Entities(InertText.Escape(text));

    // For text already made inert (a rendered decision line).
    private static string Entities(string text) =>
        text
            .Replace("#", "#35;", StringComparison.Ordinal)
            .Replace("\"", "#quot;", StringComparison.Ordinal)
            .Replace("<", "#lt;", StringComparison.Ordinal)
            .Replace(">", "#gt;", StringComparison.Ordinal)
            .Replace("&", "#amp;", StringComparison.Ordinal)
            .Replace("`", "#96;", StringComparison.Ordinal);
}
