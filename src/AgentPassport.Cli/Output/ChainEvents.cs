namespace AgentPassport.Cli;

/// <summary>
/// Describes a decoded chain as the mint events the library's <see cref="DelegationTree"/> is built from, so
/// <c>inspect</c> draws its tree with the same renderers (text and Mermaid) as the library's audit trees.
/// </summary>
internal static class ChainEvents
{
    /// <param name="leaf">The Passport inspected.</param>
    /// <param name="parents">Its parents, root first: all of them, or none (then the ancestors are named from <c>act</c> only).</param>
    public static IReadOnlyList<PassportAuditEvent> From(Passport leaf, IReadOnlyList<Passport> parents)
    {
        if (parents.Count == leaf.Depth)
        {
            return [.. parents.Select(Minted), Minted(leaf)];
        }

        // Without the parents only their agents are known (from act): nodes without details, linked up to the leaf.
        var actors = leaf.Actor.OutermostFirst().Reverse().ToList();
        var events = new List<PassportAuditEvent>();
        for (int i = 0; i < actors.Count - 1; i++)
        {
            events.Add(new PassportAuditEvent
            {
                Kind = PassportAuditEventKind.Minted,
                Timestamp = leaf.IssuedAt,
                AgentId = actors[i],
                Principal = leaf.Subject,
                Ial = leaf.Ial,
                TokenId = i == actors.Count - 2 && leaf.ParentJti is { } parentJti ? parentJti : $"(ancestor {i})",
                ParentTokenId = i == 0 ? null : $"(ancestor {i - 1})",
            });
        }

        var leafEvent = Minted(leaf);
        if (events.Count > 0 && leaf.ParentJti is null)
        {
            leafEvent = leafEvent with { ParentTokenId = events[^1].TokenId };
        }

        events.Add(leafEvent);
        return events;
    }

    // Decoded, not verified: the tree marks these claims as the token's own text.
    private static PassportAuditEvent Minted(Passport p) => PassportAuditEvents.Minted(p, p.IssuedAt) with { ClaimsVerified = false };
}
