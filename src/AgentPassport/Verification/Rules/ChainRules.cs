using AgentPassport.Jose;

namespace AgentPassport;

/// <summary>
/// The chain rules of spec §5.6 over a whole, signature-verified chain: no <c>jti</c> repeats, every child → parent link
/// holds (<see cref="ChainLinkRule"/>, from the leaf up to the root), the root has no parent, the depth cap.
/// Each rule reports its own <see cref="ChainBrokenReason"/>.
/// </summary>
internal static class ChainRules
{
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
                return VerificationErrors.Broken(ChainBrokenReason.DuplicateJti, $"the jti '{ParsedPassportToken.Truncate(parent.Passport.TokenId)}' appears twice in the chain", null,
                    new PassportErrorDetails { ChildTokenId = parent.Passport.TokenId });
            }
        }

        var child = leaf;
        for (int i = parents.Count - 1; i >= 0; i--)
        {
            var error = ChainLinkRule.Check(child.Passport, parents[i], i + 1 < parents.Count ? i + 1 : null, i);
            if (error is not null)
            {
                return error;
            }

            child = parents[i];
        }

        var root = parents[0].Passport;
        if (root.IsDelegated)
        {
            return VerificationErrors.Broken(ChainBrokenReason.RootHasParent, "the chain root has parent_jti/parent_hash", 0);
        }

        if (root.Depth != 0)
        {
            return VerificationErrors.Broken(ChainBrokenReason.ActorMismatch, "the chain root's act must name exactly one actor", 0);
        }

        return policy.MaxChainDepth >= parents.Count ? null
            : VerificationErrors.Broken(ChainBrokenReason.DepthExceeded, $"the chain is deeper than {policy.MaxChainDepth}", null);
    }

    /// <summary>
    /// The checks a new leaf adds to parents that already passed <see cref="Check"/> together (a verified-chain cache
    /// hit): no repeated <c>jti</c>, the leaf → last-parent link (the same <see cref="ChainLinkRule"/>), the depth cap.
    /// A whole-chain rule added to <see cref="Check"/> that involves the leaf belongs here too.
    /// </summary>
    public static PassportError? CheckNewLeaf(SignedPassport leaf, IReadOnlyList<SignedPassport> parents, VerificationPolicy policy)
    {
        string leafJti = leaf.Passport.TokenId;
        foreach (var parent in parents)
        {
            if (string.Equals(parent.Passport.TokenId, leafJti, StringComparison.Ordinal))
            {
                return VerificationErrors.Broken(ChainBrokenReason.DuplicateJti, $"the jti '{ParsedPassportToken.Truncate(leafJti)}' appears twice in the chain", null,
                    new PassportErrorDetails { ChildTokenId = leafJti });
            }
        }

        var error = ChainLinkRule.Check(leaf.Passport, parents[^1], null, parents.Count - 1);
        if (error is not null)
        {
            return error;
        }

        return policy.MaxChainDepth >= parents.Count ? null
            : VerificationErrors.Broken(ChainBrokenReason.DepthExceeded, $"the chain is deeper than {policy.MaxChainDepth}", null);
    }
}
