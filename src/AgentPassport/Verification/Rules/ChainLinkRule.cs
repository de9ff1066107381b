using AgentPassport.Jose;

namespace AgentPassport;

/// <summary>
/// One child → parent link of a chain (spec §5.6, v1.1 §10): the child is bound to exactly this parent, keeps its
/// subject, issuer and <c>acr</c>, and only narrows it by the <see cref="AttenuationRules"/> the issuer mints with.
/// </summary>
internal static class ChainLinkRule
{
    private static readonly string[] LevelNames = ["IAL", "AAL", "FAL"];

    /// <summary>Checks one link. <paramref name="childIndex"/> is null for the leaf.</summary>
    public static PassportError? Check(Passport child, SignedPassport parentToken, int? childIndex, int parentIndex)
    {
        var parent = parentToken.Passport;

        if (child.ParentJti is null || child.ParentHash is null)
        {
            return Broken(ChainBrokenReason.ParentClaimsIncomplete, $"{Where(childIndex)} has a parent in the chain but no parent_jti/parent_hash", childIndex, child, parent);
        }

        if (!string.Equals(child.ParentJti, parent.TokenId, StringComparison.Ordinal))
        {
            return Broken(ChainBrokenReason.ParentJtiMismatch, $"parent_jti mismatch: {Where(childIndex)} names a different parent than chain[{parentIndex}]", childIndex, child, parent);
        }

        if (!Segments.HashEquals(parentToken.Token, child.ParentHash))
        {
            return Broken(ChainBrokenReason.ParentHashMismatch, $"parent_hash mismatch: {Where(childIndex)} is not bound to the token given as chain[{parentIndex}]", childIndex, child, parent);
        }

        if (!string.Equals(child.Subject, parent.Subject, StringComparison.Ordinal))
        {
            return Broken(ChainBrokenReason.SubjectMismatch, $"{Where(childIndex)} has a different sub than its parent", childIndex, child, parent);
        }

        // Spec v1.1 §10: one issuer per chain (the parent is the link that left the leaf's issuer), and acr never drifts.
        if (!AttenuationRules.KeepsIssuer(child.Issuer, parent.Issuer))
        {
            return VerificationErrors.Broken(ChainBrokenReason.IssuerChanged, $"chain[{parentIndex}] has a different iss than {Where(childIndex)}: a chain keeps one issuer", parentIndex,
                Link(child, parent) with { Issuer = parent.Issuer });
        }

        if (!string.Equals(child.Acr, parent.Acr, StringComparison.Ordinal))
        {
            return Broken(ChainBrokenReason.AcrChanged, $"{Where(childIndex)}'s acr differs from its parent's", childIndex, child, parent);
        }

        if (!AttenuationRules.ActorWrapsParent(child, parent))
        {
            return Broken(ChainBrokenReason.ActorMismatch, $"{Where(childIndex)}'s act is not its parent's act wrapped once with its agent_id", childIndex, child, parent);
        }

        return CheckAttenuation(child, parent, childIndex, parentIndex);
    }

    /// <summary>The attenuation part of a link: expiry, capabilities, assurance levels, <c>max_depth</c>.</summary>
    private static PassportError? CheckAttenuation(Passport child, Passport parent, int? childIndex, int parentIndex)
    {
        if (!AttenuationRules.ExpiryWithin(child.ExpiresAt, parent.ExpiresAt))
        {
            return Broken(ChainBrokenReason.ExpiryExceedsParent, $"{Where(childIndex)} expires after its parent", childIndex, child, parent);
        }

        if (!AttenuationRules.CapabilitiesCovered(child.ToolScope, child.Constraints, parent.ToolScope, parent.Constraints, out var gap))
        {
            return gap.IsConstraint
                ? VerificationErrors.Broken(ChainBrokenReason.ConstraintWidened, $"constraint attenuation violated in {Where(childIndex)}: {gap.Describe()}", childIndex, gap.Details(Link(child, parent)))
                : Broken(ChainBrokenReason.ScopeNotAttenuated, $"scope attenuation violated: '{gap.Scope.Value}' in {Where(childIndex)} is not covered by its parent", childIndex, child, parent);
        }

        for (int kind = 0; kind < 3; kind++)
        {
            int? c = child.Level(kind), p = parent.Level(kind);
            if (AttenuationRules.LevelAppeared(c, p))
            {
                return Broken(ChainBrokenReason.LevelAppeared, $"{LevelNames[kind]} appeared in chain at {Where(childIndex)}", childIndex, child, parent);
            }

            if (AttenuationRules.LevelRaised(c, p))
            {
                return Broken(ChainBrokenReason.LevelRaised, $"{LevelNames[kind]} increased in chain at {Where(childIndex)}", childIndex, child, parent);
            }
        }

        if (!AttenuationRules.AllowsChild(parent.MaxDepth))
        {
            return Broken(ChainBrokenReason.DepthExceeded, $"chain[{parentIndex}] allows no further delegation (max_depth 0)", childIndex, child, parent);
        }

        if (!AttenuationRules.MaxDepthNarrows(parent.MaxDepth, child.MaxDepth))
        {
            return Broken(ChainBrokenReason.MaxDepthNotDecreasing, $"{Where(childIndex)}'s max_depth must be smaller than its parent's", childIndex, child, parent);
        }

        return null;
    }

    private static PassportError Broken(ChainBrokenReason reason, string message, int? childIndex, Passport child, Passport parent) =>
        VerificationErrors.Broken(reason, message, childIndex, Link(child, parent));

    /// <summary>The typed facts of a broken link; built only when a rule fails.</summary>
    private static PassportErrorDetails Link(Passport child, Passport parent) => new() { ChildTokenId = child.TokenId, ParentTokenId = parent.TokenId };

    /// <summary>Names the child in a message; built only when a rule fails, so a passing link allocates nothing.</summary>
    private static string Where(int? childIndex) => childIndex is null ? "leaf" : $"chain[{childIndex}]";
}
