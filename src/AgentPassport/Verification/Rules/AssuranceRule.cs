namespace AgentPassport;

/// <summary>Spec §5 step 5 (leaf only): the leaf's IAL, AAL and FAL meet the policy's floors (a missing level is 0).</summary>
internal static class AssuranceRule
{
    /// <summary>Checks the leaf's levels; null when every floor is met.</summary>
    public static PassportError? Check(Passport leaf, VerificationPolicy policy)
    {
        if (policy.RequireIal > 0 && (leaf.Ial ?? 0) < policy.RequireIal)
        {
            return new(PassportErrorKind.IALInsufficient, $"IAL {policy.RequireIal} required, got {leaf.Ial ?? 0}", details: Levels(policy.RequireIal, leaf.Ial));
        }

        if (policy.RequireAal > 0 && (leaf.Aal ?? 0) < policy.RequireAal)
        {
            return new(PassportErrorKind.AALInsufficient, $"AAL {policy.RequireAal} required, got {leaf.Aal ?? 0}", details: Levels(policy.RequireAal, leaf.Aal));
        }

        if (policy.RequireFal > 0 && (leaf.Fal ?? 0) < policy.RequireFal)
        {
            return new(PassportErrorKind.FALInsufficient, $"FAL {policy.RequireFal} required, got {leaf.Fal ?? 0}", details: Levels(policy.RequireFal, leaf.Fal));
        }

        return null;
    }

    private static PassportErrorDetails Levels(int required, int? actual) => new() { RequiredLevel = required, ActualLevel = actual };
}
