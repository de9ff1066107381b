using System.Globalization;
using System.Text;

namespace AgentPassport;

/// <content>The one-line description people read in logs and consoles; it never contains a token.</content>
public sealed partial record Passport
{
    /// <summary>Describes the Passport on one line: holder, principal, levels, scopes, audience, expiry, depth and <c>jti</c>.</summary>
    /// <returns>For example <c>Passport agent:carol (gpt-x) for alice@example.gov IAL=2 AAL=2 FAL=2, tool_scope ["flights:book"], aud https://flights.example/, exp 2026-06-01T12:02:05Z, depth 2, jti 9e2a…</c>.</returns>
    public override string ToString()
    {
        var sb = new StringBuilder("Passport ").Append(AgentId).Append(" (").Append(AgentModel).Append(") for ").Append(Subject);
        AppendLevel(sb, "IAL", Ial);
        AppendLevel(sb, "AAL", Aal);
        AppendLevel(sb, "FAL", Fal);
        sb.Append(", tool_scope ").Append(JsonList(ToolScope.ToStrings()))
          .Append(", aud ").Append(Audience)
          .Append(", exp ").Append(UtcTime.Format(ExpiresAt))
          .Append(", depth ").Append(Depth.ToString(CultureInfo.InvariantCulture))
          .Append(", jti ").Append(TokenId);
        return sb.ToString();
    }

    /// <summary>Writes strings as a JSON array (<c>["a", "b"]</c>), the list style of every human-readable output.</summary>
    internal static string JsonList(IEnumerable<string> values) =>
        "[" + string.Join(", ", values.Select(v => "\"" + v.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"")) + "]";

    private static void AppendLevel(StringBuilder sb, string name, int? level)
    {
        if (level is int l)
        {
            sb.Append(' ').Append(name).Append('=').Append(l.ToString(CultureInfo.InvariantCulture));
        }
    }
}
