using System.Globalization;
using System.Text;
using System.Text.Json;

namespace AgentPassport;

/// <summary>Renders a <see cref="DelegationTree"/> as JSON: principals, agents (nested by delegation) and their decisions.</summary>
internal static class DelegationTreeJson
{
    public static string Render(DelegationTree tree)
    {
        using var buffer = new MemoryStream();
        // The default encoder escapes control characters, quotes, '<', '>' and '&': a hostile name stays a string.
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            w.WriteStartArray("principals");
            foreach (var principal in tree.Principals)
            {
                w.WriteStartObject();
                w.WriteString("principal", principal.Principal);
                if (principal.Ial is int ial)
                {
                    w.WriteNumber("ial", ial);
                }

                w.WriteStartArray("agents");
                foreach (var agent in principal.Agents)
                {
                    Node(w, agent);
                }

                w.WriteEndArray();
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteStartArray("unattributed");
            foreach (var e in tree.Unattributed)
            {
                Decision(w, e);
            }

            w.WriteEndArray();
            w.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray()) + "\n";
    }

    private static void Node(Utf8JsonWriter w, DelegationTreeNode node)
    {
        var m = node.Minted;
        w.WriteStartObject();
        w.WriteString("agent_id", node.AgentId);
        w.WriteString("jti", node.TokenId);
        Optional(w, "parent_jti", m.ParentTokenId);
        w.WriteStartArray("scopes");
        foreach (var scope in m.Scopes)
        {
            w.WriteStringValue(scope);
        }

        w.WriteEndArray();
        Optional(w, "aud", m.Audience);
        Optional(w, "exp", m.ExpiresAt is { } exp ? DelegationTreeText.Time(exp) : null);
        Optional(w, "purpose", m.TaskPurpose);
        if (node.IsRevoked)
        {
            w.WriteString("revoked", node.RevokedByAncestor ? "ancestor" : node.Revocation!.RevocationKind?.ToString() ?? "jti");
        }

        w.WriteStartArray("decisions");
        foreach (var d in node.Decisions)
        {
            Decision(w, d);
        }

        w.WriteEndArray();
        w.WriteStartArray("children");
        foreach (var child in node.Children)
        {
            Node(w, child);
        }

        w.WriteEndArray();
        w.WriteEndObject();
    }

    private static void Decision(Utf8JsonWriter w, PassportAuditEvent e)
    {
        w.WriteStartObject();
        w.WriteString("decision", e.Kind switch
        {
            PassportAuditEventKind.Allowed => "allowed",
            PassportAuditEventKind.UnknownTool => "unknown_tool",
            PassportAuditEventKind.Denied => "denied",
            _ => ((int)e.Kind).ToString(CultureInfo.InvariantCulture),
        });
        w.WriteString("time", DelegationTreeText.Time(e.Timestamp));
        Optional(w, "agent_id", e.AgentId);
        Optional(w, "tool", e.ToolName);
        Optional(w, "required_scope", e.RequiredScope);
        Optional(w, "error_kind", e.ErrorKind?.ToString());
        Optional(w, "error_code", e.ErrorCode);
        w.WriteBoolean("claims_verified", e.ClaimsVerified);
        w.WriteEndObject();
    }

    private static void Optional(Utf8JsonWriter w, string name, string? value)
    {
        if (value is not null)
        {
            w.WriteString(name, value);
        }
    }
}
