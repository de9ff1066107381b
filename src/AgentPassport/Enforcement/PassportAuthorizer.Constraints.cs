using System.Text.Json;

namespace AgentPassport;

/// <content>The capability rule (spec v1.1 §13): some <c>tool_scope</c> entry covers the scope and the arguments satisfy all its constraints.</content>
public sealed partial class PassportAuthorizer
{
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

            if (constraints.Satisfied(scopes[i].Value, arguments, out var failedArgument, out var failedConstraint))
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
