namespace AgentPassport;

/// <summary>
/// Spec §5 step 5 (leaf only): a <c>*</c> scope only under a policy that allows wildcards, and the policy's required
/// scope, if any, covered by the leaf's scopes.
/// </summary>
internal static class ScopeRule
{
    /// <summary>Checks the leaf's scopes; null when they pass.</summary>
    public static PassportError? Check(Passport leaf, VerificationPolicy policy)
    {
        if (!policy.AllowWildcardScope && leaf.ToolScope.ContainsWildcardAll)
        {
            return new(PassportErrorKind.WildcardScopeNotAllowed, "the '*' scope is not allowed by this policy");
        }

        if (policy.RequiredScopeValue is { } required && !leaf.ToolScope.Covers(required))
        {
            return new(PassportErrorKind.ScopeViolation, $"scope '{required.Value}' required; granted: [{string.Join(", ", leaf.ToolScope.ToStrings())}]");
        }

        return null;
    }
}
