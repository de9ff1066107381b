using AgentPassport.Jose;

namespace AgentPassport;

/// <summary>
/// The chain continuity rules of spec §5.6, applied to every child → parent link from the leaf up to the root.
/// Each rule reports its own <see cref="ChainBrokenReason"/>.
/// </summary>
internal static class ChainRules
{
    private static readonly string[] LevelNames = ["IAL", "AAL", "FAL"];

    /// <summary>Checks the links of an already signature-verified chain (<paramref name="parents"/> root first).</summary>
    public static PassportError? Check(SignedPassport leaf, IReadOnlyList<SignedPassport> parents, VerificationPolicy policy)
    {
        if (parents.Count == 0)
        {
            return null;
        }

        var seen = new HashSet<string>(StringComparer.Ordinal) { leaf.Passport.TokenId };
        foreach (var parent in parents)
        {
            if (!seen.Add(parent.Passport.TokenId))
            {
                return PassportVerifier.Broken(ChainBrokenReason.DuplicateJti, $"the jti '{ParsedPassportToken.Truncate(parent.Passport.TokenId)}' appears twice in the chain", null,
                    new PassportErrorDetails { ChildTokenId = parent.Passport.TokenId });
            }
        }

        var child = leaf;
        for (int i = parents.Count - 1; i >= 0; i--)
        {
            var error = CheckLink(child.Passport, parents[i], i + 1 < parents.Count ? i + 1 : null, i);
            if (error is not null)
            {
                return error;
            }

            child = parents[i];
        }

        var root = parents[0].Passport;
        if (root.IsDelegated)
        {
            return PassportVerifier.Broken(ChainBrokenReason.RootHasParent, "the chain root has parent_jti/parent_hash", 0);
        }

        if (root.Depth != 0)
        {
            return PassportVerifier.Broken(ChainBrokenReason.ActorMismatch, "the chain root's act must name exactly one actor", 0);
        }

        return policy.MaxChainDepth >= parents.Count ? null
            : PassportVerifier.Broken(ChainBrokenReason.DepthExceeded, $"the chain is deeper than {policy.MaxChainDepth}", null);
    }

    /// <summary>
    /// The checks a new leaf adds to parents that already passed <see cref="Check"/> together (a verified-chain cache
    /// hit): no repeated <c>jti</c>, the leaf → last-parent link, the depth cap. Keep in step with <see cref="Check"/>:
    /// any rule added there that involves the leaf belongs here too.
    /// </summary>
    public static PassportError? CheckNewLeaf(SignedPassport leaf, IReadOnlyList<SignedPassport> parents, VerificationPolicy policy)
    {
        string leafJti = leaf.Passport.TokenId;
        foreach (var parent in parents)
        {
            if (string.Equals(parent.Passport.TokenId, leafJti, StringComparison.Ordinal))
            {
                return PassportVerifier.Broken(ChainBrokenReason.DuplicateJti, $"the jti '{ParsedPassportToken.Truncate(leafJti)}' appears twice in the chain", null,
                    new PassportErrorDetails { ChildTokenId = leafJti });
            }
        }

        var error = CheckLink(leaf.Passport, parents[^1], null, parents.Count - 1);
        if (error is not null)
        {
            return error;
        }

        return policy.MaxChainDepth >= parents.Count ? null
            : PassportVerifier.Broken(ChainBrokenReason.DepthExceeded, $"the chain is deeper than {policy.MaxChainDepth}", null);
    }

    /// <summary>One child → parent link. <paramref name="childIndex"/> is null for the leaf.</summary>
    private static PassportError? CheckLink(Passport child, SignedPassport parentToken, int? childIndex, int parentIndex)
    {
        var parent = parentToken.Passport;

        if (child.ParentJti is null || child.ParentHash is null)
        {
            return PassportVerifier.Broken(ChainBrokenReason.ParentClaimsIncomplete, $"{Where(childIndex)} has a parent in the chain but no parent_jti/parent_hash", childIndex, Link(child, parent));
        }

        if (!string.Equals(child.ParentJti, parent.TokenId, StringComparison.Ordinal))
        {
            return PassportVerifier.Broken(ChainBrokenReason.ParentJtiMismatch, $"parent_jti mismatch: {Where(childIndex)} names a different parent than chain[{parentIndex}]", childIndex, Link(child, parent));
        }

        if (!Segments.HashEquals(parentToken.Token, child.ParentHash))
        {
            return PassportVerifier.Broken(ChainBrokenReason.ParentHashMismatch, $"parent_hash mismatch: {Where(childIndex)} is not bound to the token given as chain[{parentIndex}]", childIndex, Link(child, parent));
        }

        if (!string.Equals(child.Subject, parent.Subject, StringComparison.Ordinal))
        {
            return PassportVerifier.Broken(ChainBrokenReason.SubjectMismatch, $"{Where(childIndex)} has a different sub than its parent", childIndex, Link(child, parent));
        }

        // Spec v1.1 §10: one issuer per chain (the parent is the link that left the leaf's issuer), and acr never drifts.
        if (!string.Equals(child.Issuer, parent.Issuer, StringComparison.Ordinal))
        {
            return PassportVerifier.Broken(ChainBrokenReason.IssuerChanged, $"chain[{parentIndex}] has a different iss than {Where(childIndex)}: a chain keeps one issuer", parentIndex,
                Link(child, parent) with { Issuer = parent.Issuer });
        }

        if (!string.Equals(child.Acr, parent.Acr, StringComparison.Ordinal))
        {
            return PassportVerifier.Broken(ChainBrokenReason.AcrChanged, $"{Where(childIndex)}'s acr differs from its parent's", childIndex, Link(child, parent));
        }

        if (child.Actor.Parent is null || child.Actor.Parent != parent.Actor || child.Actor.Subject != child.AgentId)
        {
            return PassportVerifier.Broken(ChainBrokenReason.ActorMismatch, $"{Where(childIndex)}'s act is not its parent's act wrapped once with its agent_id", childIndex, Link(child, parent));
        }

        if (child.ExpiresAt > parent.ExpiresAt)
        {
            return PassportVerifier.Broken(ChainBrokenReason.ExpiryExceedsParent, $"{Where(childIndex)} expires after its parent", childIndex, Link(child, parent));
        }

        if (!child.ToolScope.IsAttenuationOf(parent.ToolScope, out var uncovered))
        {
            return PassportVerifier.Broken(ChainBrokenReason.ScopeNotAttenuated, $"scope attenuation violated: '{uncovered.Value}' in {Where(childIndex)} is not covered by its parent", childIndex, Link(child, parent));
        }

        for (int kind = 0; kind < 3; kind++)
        {
            int? c = child.Level(kind), p = parent.Level(kind);
            if (c is not null && p is null)
            {
                return PassportVerifier.Broken(ChainBrokenReason.LevelAppeared, $"{LevelNames[kind]} appeared in chain at {Where(childIndex)}", childIndex, Link(child, parent));
            }

            if (c > p)
            {
                return PassportVerifier.Broken(ChainBrokenReason.LevelRaised, $"{LevelNames[kind]} increased in chain at {Where(childIndex)}", childIndex, Link(child, parent));
            }
        }

        if (parent.MaxDepth is int parentMax)
        {
            if (parentMax == 0)
            {
                return PassportVerifier.Broken(ChainBrokenReason.DepthExceeded, $"chain[{parentIndex}] allows no further delegation (max_depth 0)", childIndex, Link(child, parent));
            }

            if (child.MaxDepth is not int childMax || childMax >= parentMax)
            {
                return PassportVerifier.Broken(ChainBrokenReason.MaxDepthNotDecreasing, $"{Where(childIndex)}'s max_depth must be smaller than its parent's", childIndex, Link(child, parent));
            }
        }

        return null;
    }

    /// <summary>The typed facts of a broken link; built only when a rule fails.</summary>
    private static PassportErrorDetails Link(Passport child, Passport parent) => new() { ChildTokenId = child.TokenId, ParentTokenId = parent.TokenId };

    /// <summary>Names the child in a message; built only when a rule fails, so a passing link allocates nothing.</summary>
    private static string Where(int? childIndex) => childIndex is null ? "leaf" : $"chain[{childIndex}]";
}
