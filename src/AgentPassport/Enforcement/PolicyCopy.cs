namespace AgentPassport;

/// <summary>Copies a policy with another audience; every other requirement is kept.</summary>
internal static class PolicyCopy
{
    public static VerificationPolicy WithAudience(VerificationPolicy policy, string audience) => new(policy.Issuers, audience)
    {
        RequireIal = policy.RequireIal,
        RequireAal = policy.RequireAal,
        RequireFal = policy.RequireFal,
        RequiredScope = policy.RequiredScope,
        AllowWildcardScope = policy.AllowWildcardScope,
        ClockSkew = policy.ClockSkew,
        AllowedAlgorithms = policy.AllowedAlgorithms,
        MaxChainDepth = policy.MaxChainDepth,
        MaxTokenBytes = policy.MaxTokenBytes,
        MaxLifetime = policy.MaxLifetime,
    };
}
