using AgentPassport.Jose;

namespace AgentPassport;

/// <summary>Spec §5 step 5 (leaf only): <c>aud</c> equals the policy's audience, ordinal (no trailing-slash or case folding).</summary>
internal static class AudienceRule
{
    /// <summary>Checks the leaf's audience; null when it matches.</summary>
    public static PassportError? Check(Passport leaf, VerificationPolicy policy) =>
        string.Equals(leaf.Audience, policy.Audience, StringComparison.Ordinal) ? null
            : new(PassportErrorKind.AudienceMismatch, $"expected aud '{policy.Audience}', got '{ParsedPassportToken.Truncate(leaf.Audience)}'",
                details: new PassportErrorDetails { ExpectedAudience = policy.Audience, ActualAudience = leaf.Audience });
}
