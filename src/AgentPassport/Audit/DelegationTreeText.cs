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
            sb.Append("principal ").Append(InertText.Escape(principal.Principal))
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
                  .Append(Decision(e)).Append(" by ").Append(e.AgentId is null ? "unknown agent" : InertText.Escape(e.AgentId)).Append('\n');
            }
        }

        return sb.ToString();
    }

    // Every value here may be caller-chosen text (an unverified token, a model-chosen tool name): all of it is escaped.
    internal static string Describe(PassportAuditEvent m) => m.Audience is null && m.ExpiresAt is null
        ? "(Passport not given)"
        : $"[{string.Join(", ", m.Scopes.Select(InertText.Escape))}] aud={InertText.Escape(m.Audience)} exp={Time(m.ExpiresAt)}"
          + (m.TaskPurpose is null ? "" : $" purpose={InertText.Quote(m.TaskPurpose)}")
          + (m.Constraints is null ? "" : $" constraints={InertText.Escape(m.Constraints)}");

    internal static string Decision(PassportAuditEvent e)
    {
        var verb = e.Kind switch
        {
            PassportAuditEventKind.Allowed => "ALLOWED",
            PassportAuditEventKind.UnknownTool => "UNKNOWN TOOL",
            _ => "DENIED",
        };
        var tool = InertText.Escape(e.ToolName);
        var what = e.RequiredScope is null ? tool : $"{InertText.Escape(e.RequiredScope)} ({tool})";
        var why = e.ErrorKind is { } kind ? $": {kind} {e.ErrorCode}" : "";
        var unverified = e.ClaimsVerified ? "" : " [claims unverified]";
        return $"{verb} {what}{why}{unverified}";
    }

    internal static string Time(DateTimeOffset? t) =>
        t?.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture) ?? "?";

    private static void Node(StringBuilder sb, DelegationTreeNode node, string indent, bool last)
    {
        sb.Append(indent).Append(last ? "└── " : "├── ").Append(InertText.Escape(node.AgentId)).Append(' ').Append(Describe(node.Minted)).Append(node.RevocationLabel).Append('\n');
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
