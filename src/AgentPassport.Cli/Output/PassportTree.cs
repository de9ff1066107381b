using System.Globalization;
using System.Text;

namespace AgentPassport.Cli;

/// <summary>
/// The <c>inspect --tree</c> view: the principal with its levels, each actor indented under the previous one (the
/// first agent at the top, the current holder last), the holder's details, then a footer. With the parents of the
/// chain, every actor shows the details of the Passport it held. Claim text (possibly unverified) is escaped
/// (<see cref="InertText"/>) so a newline in a claim cannot print a line of its own.
/// </summary>
internal static class PassportTree
{
    public static string Write(Passport leaf, IReadOnlyList<Passport> chain)
    {
        var sb = new StringBuilder();
        sb.Append("Principal: ").Append(InertText.Escape(leaf.Subject)).Append('\n');
        string levels = Levels(leaf);
        if (levels.Length > 0)
        {
            sb.Append("  [").Append(levels).Append("]\n");
        }

        var actors = leaf.Actor.OutermostFirst().Reverse().ToList();
        var held = chain.Count == actors.Count - 1 ? [.. chain, leaf] : (IReadOnlyList<Passport?>)[.. actors.Take(actors.Count - 1).Select(_ => (Passport?)null), leaf];
        for (int i = 0; i < actors.Count; i++)
        {
            string indent = new(' ', i * 4);
            sb.Append(indent).Append("└── Agent: ").Append(InertText.Escape(actors[i]));
            if (i == 0 && actors.Count > 1)
            {
                sb.Append("  (original delegate)");
            }

            if (i == actors.Count - 1)
            {
                sb.Append("  (current holder)");
            }

            sb.Append('\n');
            if (held[i] is { } p)
            {
                string pad = indent + "    ";
                Detail(sb, pad, "model:", p.AgentModel);
                Detail(sb, pad, "tool_scope:", string.Join(", ", p.ToolScope.ToStrings()));
                Detail(sb, pad, "task_purpose:", p.TaskPurpose);
                Detail(sb, pad, "parent_jti:", p.ParentJti);
                if (i < actors.Count - 1)
                {
                    Detail(sb, pad, "audience:", p.Audience);
                    Detail(sb, pad, "jti:", p.TokenId);
                    Detail(sb, pad, "expires:", Time(p.ExpiresAt));
                }
            }
        }

        sb.Append('\n');
        Footer(sb, "Token jti:", leaf.TokenId);
        Footer(sb, "Issuer:", leaf.Issuer);
        Footer(sb, "Audience:", leaf.Audience);
        Footer(sb, "Issued at:", Time(leaf.IssuedAt));
        Footer(sb, "Not before:", Time(leaf.NotBefore));
        Footer(sb, "Expires:", Time(leaf.ExpiresAt));
        return sb.ToString();
    }

    private static string Levels(Passport p)
    {
        var parts = new List<string>();
        if (p.Ial is int ial)
        {
            parts.Add($"IAL={ial}");
        }

        if (p.Aal is int aal)
        {
            parts.Add($"AAL={aal}");
        }

        if (p.Fal is int fal)
        {
            parts.Add($"FAL={fal}");
        }

        return string.Join(' ', parts);
    }

    private static void Detail(StringBuilder sb, string pad, string label, string? value)
    {
        if (value is not null)
        {
            sb.Append(pad).Append(label.PadRight(14)).Append(InertText.Escape(value)).Append('\n');
        }
    }

    private static void Footer(StringBuilder sb, string label, string value) =>
        sb.Append(label.PadRight(12)).Append(InertText.Escape(value)).Append('\n');

    private static string Time(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
