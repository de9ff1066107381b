using System.Globalization;
using System.Text;

namespace AgentPassport;

/// <summary>Renders a <see cref="DelegationTree"/> as an indented text tree.</summary>
internal static class DelegationTreeText
{
    public static string Render(DelegationTree tree)
    {
        var sb = new StringBuilder();
        foreach (var principal in tree.Principals)
        {
            sb.Append("principal ").Append(principal.Principal)
              .Append(principal.Ial is int ial ? $" (IAL {ial.ToString(CultureInfo.InvariantCulture)})" : " (no IAL)")
              .Append('\n');
            for (int i = 0; i < principal.Agents.Count; i++)
            {
                Node(sb, principal.Agents[i], "", i == principal.Agents.Count - 1);
            }
        }

        if (tree.Unattributed.Count > 0)
        {
            sb.Append("unattributed decisions\n");
            for (int i = 0; i < tree.Unattributed.Count; i++)
            {
                var e = tree.Unattributed[i];
                sb.Append(i == tree.Unattributed.Count - 1 ? "└── " : "├── ")
                  .Append(Decision(e)).Append(" by ").Append(e.AgentId ?? "unknown agent").Append('\n');
            }
        }

        return sb.ToString();
    }

    internal static string Describe(PassportAuditEvent m) =>
        $"[{string.Join(", ", m.Scopes)}] aud={m.Audience} exp={Time(m.ExpiresAt)}" + (m.TaskPurpose is null ? "" : $" purpose=\"{m.TaskPurpose}\"");

    internal static string Decision(PassportAuditEvent e)
    {
        var verb = e.Kind == PassportAuditEventKind.Allowed ? "ALLOWED" : "DENIED";
        var what = e.RequiredScope is null ? e.ToolName : $"{e.RequiredScope} ({e.ToolName})";
        var why = e.ErrorKind is { } kind ? $": {kind} {e.ErrorCode}" : "";
        var unverified = e.ClaimsVerified ? "" : " [claims unverified]";
        return $"{verb} {what}{why}{unverified}";
    }

    internal static string Time(DateTimeOffset? t) =>
        t?.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture) ?? "?";

    private static void Node(StringBuilder sb, DelegationTreeNode node, string indent, bool last)
    {
        sb.Append(indent).Append(last ? "└── " : "├── ").Append(node.AgentId).Append(' ').Append(Describe(node.Minted)).Append(node.RevocationLabel).Append('\n');
        var childIndent = indent + (last ? "    " : "│   ");
        int total = node.Decisions.Count + node.Children.Count;
        int index = 0;
        foreach (var d in node.Decisions)
        {
            index++;
            sb.Append(childIndent).Append(index == total ? "└── " : "├── ").Append(Decision(d)).Append('\n');
        }

        foreach (var child in node.Children)
        {
            index++;
            Node(sb, child, childIndent, index == total);
        }
    }
}
