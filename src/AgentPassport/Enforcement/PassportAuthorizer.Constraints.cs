using System.Text.Json;

namespace AgentPassport;

/// <content>The capability rule (spec v1.1 §13): some <c>tool_scope</c> entry covers the scope and the arguments satisfy all its constraints.</content>
public sealed partial class PassportAuthorizer
{
    /// <summary>
    /// Checks a call against a verified Passport by the rule <see cref="AuthorizeAsync"/> applies after verification: the
    /// required scope must be concrete and covered, and some covering capability's constraints must all hold for the
    /// arguments. For tools that check a call outside an adapter (the CLI's <c>verify --op --args</c>); no audit record.
    /// </summary>
    /// <param name="passport">The verified Passport.</param>
    /// <param name="requiredScope">The tool's required (concrete) scope.</param>
    /// <param name="arguments">The call's arguments; null when unknown (a constrained capability then refuses).</param>
    /// <param name="includeValue">Whether a violation's message shows the refused value.</param>
    /// <returns>Null when the call is allowed; otherwise <see cref="PassportErrorKind.NoScopeRequirement"/>, <see cref="PassportErrorKind.ScopeViolation"/> or <see cref="PassportErrorKind.ConstraintViolation"/>.</returns>
    public static PassportError? CheckCall(VerifiedPassport passport, string requiredScope, PassportToolArguments? arguments, bool includeValue = false)
    {
        ArgumentNullException.ThrowIfNull(passport);
        if (!PassportToolRequirement.TryParse(requiredScope, out var requirement, out var scopeError))
        {
            return new PassportError(PassportErrorKind.NoScopeRequirement, $"the required scope is not a concrete scope: {scopeError}");
        }

        var p = passport.Passport;
        return requirement.IsGrantedBy(p.ToolScope)
            ? CheckConstraints(p, requirement.Scope, arguments, includeValue)
            : new PassportError(PassportErrorKind.ScopeViolation, $"scope '{requiredScope}' required; granted: [{string.Join(", ", p.ToolScope.ToStrings())}]");
    }

    /// <summary>
    /// Null when some capability of <paramref name="passport"/> covering <paramref name="required"/> accepts the
    /// arguments; otherwise the <see cref="PassportErrorKind.ConstraintViolation"/> of the first covering capability that refused.
    /// </summary>
    internal static PassportError? CheckConstraints(Passport passport, PassportScope required, PassportToolArguments? arguments, bool includeValue)
    {
        var scopes = passport.ToolScope;
        var constraints = passport.Constraints;
        string? scope = null, argument = null, constraint = null;
        for (int i = 0; i < scopes.Count; i++)
        {
            if (!scopes[i].Covers(required))
            {
                continue;
            }

            if (Satisfied(constraints.For(scopes[i].Value), arguments, out var failedArgument, out var failedConstraint))
            {
                return null;
            }

            if (scope is null)
            {
                (scope, argument, constraint) = (scopes[i].Value, failedArgument, failedConstraint);
            }
        }

        scope ??= required.Value;
        string value = includeValue ? ValueText(arguments, argument!) : string.Empty;
        return new PassportError(PassportErrorKind.ConstraintViolation,
            $"argument '{argument}'{value} violates the '{constraint}' constraint of capability '{scope}' (scope '{required.Value}' required)",
            details: new PassportErrorDetails { Scope = scope, Argument = argument, Constraint = constraint });
    }

    /// <summary>
    /// Checks a call's arguments against every constraint of one capability. Null or incomplete arguments (the adapter
    /// could not see them all) fail any constrained capability: doubt denies.
    /// </summary>
    private static bool Satisfied(IReadOnlyDictionary<string, PassportConstraint> constraints, PassportToolArguments? arguments, out string? argument, out string? constraintName)
    {
        argument = null;
        constraintName = null;
        foreach (var (name, constraint) in constraints)
        {
            JsonElement value = default;
            bool known = arguments is not null && arguments.IsComplete && arguments.TryGetValue(name, out value);
            string? failed = known ? constraint.Failure(value) : constraint.Name;
            if (failed is not null)
            {
                argument = name;
                constraintName = failed;
                return false;
            }
        }

        return true;
    }

    /// <summary>The refused value for a detailed denial: its JSON, clipped; "missing" or "unavailable" when there is none.</summary>
    private static string ValueText(PassportToolArguments? arguments, string argument)
    {
        if (arguments is null || !arguments.IsComplete)
        {
            return " (arguments unavailable)";
        }

        if (!arguments.TryGetValue(argument, out var value) || value.ValueKind == JsonValueKind.Undefined)
        {
            return " (missing)";
        }

        string json = value.GetRawText();
        return $" = {(json.Length <= 64 ? json : string.Concat(json.AsSpan(0, 64), "…"))}";
    }
}
