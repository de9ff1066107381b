namespace AgentPassport;

/// <summary>
/// Why a child capability is not covered by its parent's (see <see cref="AttenuationRules"/>): no parent pattern covers
/// <see cref="Scope"/> (<see cref="Argument"/> null), or the parent capability <see cref="ParentScope"/> covers it but
/// constrains <see cref="Argument"/> by <see cref="Constraint"/>, which the child drops or widens.
/// </summary>
internal readonly record struct CapabilityGap(PassportScope Scope, string? ParentScope, string? Argument, string? Constraint)
{
    /// <summary>Gets a value indicating whether the gap is in the constraints (some parent pattern covers the scope).</summary>
    public bool IsConstraint => Argument is not null;

    /// <summary>Describes the gap for an error message.</summary>
    public string Describe() => IsConstraint
        ? $"'{Scope.Value}' widens the parent capability '{ParentScope}': its argument '{Argument}' is not constrained within the parent's '{Constraint}' constraint"
        : $"'{Scope.Value}' is not covered by the parent's scopes";

    /// <summary>The typed facts of the gap.</summary>
    public PassportErrorDetails Details(PassportErrorDetails? baseDetails = null) => (baseDetails ?? PassportErrorDetails.None) with
    {
        Scope = Scope.Value,
        Argument = Argument,
        Constraint = Constraint,
    };
}
