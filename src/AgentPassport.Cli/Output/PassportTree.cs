using System.Globalization;
using System.Text;

namespace AgentPassport.Cli;

/// <summary>
/// The <c>inspect --tree</c> view: the library's delegation tree (<see cref="DelegationTree.ToText"/>: the principal,
/// then each agent under the one that delegated to it, with scopes, audience, expiry and purpose), then the inspected
/// Passport's details, with its lifetime marked when it is expired or not yet valid.
/// </summary>
internal static class PassportTree
{
    public static string Write(Passport leaf, IReadOnlyList<Passport> chain, DateTimeOffset now)
    {
        var sb = new StringBuilder(DelegationTree.Build(ChainEvents.From(leaf, chain)).ToText());
        sb.Append('\n');
        Line(sb, "agent_id", leaf.AgentId);
        Line(sb, "agent_model", leaf.AgentModel);
        Line(sb, "jti", leaf.TokenId);
        Line(sb, "iss", leaf.Issuer);
        Line(sb, "aud", leaf.Audience);
        Line(sb, "levels", Levels(leaf));
        Line(sb, "iat", Time(leaf.IssuedAt));
        Line(sb, "nbf", Time(leaf.NotBefore) + (now < leaf.NotBefore ? "  (NOT YET VALID)" : string.Empty));
        Line(sb, "exp", Time(leaf.ExpiresAt) + (now >= leaf.ExpiresAt ? "  (EXPIRED)" : string.Empty));
        return sb.ToString();
    }

    /// <summary>A warning for a Passport outside its lifetime, or null.</summary>
    public static string? LifetimeWarning(Passport p, DateTimeOffset now) =>
        now >= p.ExpiresAt ? $"note: {InertText.Escape(p.AgentId)}'s Passport EXPIRED at {Time(p.ExpiresAt)}."
        : now < p.NotBefore ? $"note: {InertText.Escape(p.AgentId)}'s Passport is NOT YET VALID (nbf {Time(p.NotBefore)})."
        : null;

    public static string Time(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private static string? Levels(Passport p)
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

        return parts.Count > 0 ? string.Join(' ', parts) : null;
    }

    private static void Line(StringBuilder sb, string label, string? value)
    {
        if (value is not null)
        {
            // Claims of an unverified token are attacker text: a newline must not print a convincing extra line.
            sb.Append((label + ":").PadRight(13)).Append(InertText.Escape(value)).Append('\n');
        }
    }
}
