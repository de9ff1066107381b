using System.Text;

namespace AgentPassport.Cli;

/// <summary>The <c>inspect --format mermaid</c> view: a Mermaid flowchart from the principal down to the current holder.</summary>
internal static class PassportMermaid
{
    public static string Write(Passport leaf, IReadOnlyList<Passport> chain)
    {
        var actors = leaf.Actor.OutermostFirst().Reverse().ToList();
        bool full = chain.Count == actors.Count - 1;
        var sb = new StringBuilder("flowchart TD\n");
        var levels = new List<string>();
        if (leaf.Ial is int ial)
        {
            levels.Add($"IAL={ial}");
        }

        if (leaf.Aal is int aal)
        {
            levels.Add($"AAL={aal}");
        }

        if (leaf.Fal is int fal)
        {
            levels.Add($"FAL={fal}");
        }

        sb.Append("    P[\"").Append(Escape("principal: " + leaf.Subject));
        if (levels.Count > 0)
        {
            sb.Append("<br/>").Append(string.Join(' ', levels));
        }

        sb.Append("\"]\n");
        for (int i = 0; i < actors.Count; i++)
        {
            Passport? p = i == actors.Count - 1 ? leaf : full ? chain[i] : null;
            sb.Append("    A").Append(i).Append("[\"").Append(Escape(actors[i]));
            if (p is not null)
            {
                sb.Append("<br/>").Append(Escape(p.AgentModel))
                  .Append("<br/>scope: ").Append(Escape(string.Join(", ", p.ToolScope.ToStrings())))
                  .Append("<br/>aud: ").Append(Escape(p.Audience));
            }

            sb.Append("\"]\n");
            sb.Append("    ").Append(i == 0 ? "P" : $"A{i - 1}").Append(i == 0 ? " -->|authorizes| " : " -->|delegates| ").Append('A').Append(i).Append('\n');
        }

        return sb.ToString();
    }

    // Control characters escaped first (a newline would end the node's line), then Mermaid entity codes keep quotes and
    // angle brackets from ending the label or injecting markup.
    private static string Escape(string text) =>
        InertText.Escape(text).Replace("#", "#35;", StringComparison.Ordinal).Replace("\"", "#quot;", StringComparison.Ordinal)
            .Replace("<", "#lt;", StringComparison.Ordinal).Replace(">", "#gt;", StringComparison.Ordinal)
            .Replace("&", "#amp;", StringComparison.Ordinal).Replace("`", "#96;", StringComparison.Ordinal);
}
