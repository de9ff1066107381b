namespace AgentPassport;

/// <summary>
/// Spec §5 step 5: the checks only the leaf gets, in order (<see cref="AudienceRule"/>, <see cref="AssuranceRule"/>,
/// <see cref="ScopeRule"/>). They depend on the caller's policy, so they run on every call, cache hit or not.
/// </summary>
internal static class LeafRules
{
    /// <summary>Checks the leaf; null when every rule passes.</summary>
    public static PassportError? Check(Passport leaf, VerificationPolicy policy) =>
        AudienceRule.Check(leaf, policy) ?? AssuranceRule.Check(leaf, policy) ?? ScopeRule.Check(leaf, policy);
}
