using System.Diagnostics.CodeAnalysis;

namespace AgentPassport;

/// <summary>
/// What a tool requires of a Passport: one concrete scope (never a pattern), parsed once. Every adapter resolves a tool's
/// requirement to this type (<see cref="PassportToolRequirementResolver"/>) and the authorizer checks it.
/// </summary>
/// <remarks>The single home of the "a requirement is a concrete scope" rule; argument constraints (spec v1.1 §13) will be added here.</remarks>
public sealed class PassportToolRequirement
{
    private PassportToolRequirement(PassportScope scope) => Scope = scope;

    /// <summary>Gets the concrete scope a call requires.</summary>
    public PassportScope Scope { get; }

    /// <summary>Parses a requirement.</summary>
    /// <param name="scope">A concrete scope, for example <c>flights:book</c>.</param>
    /// <param name="paramName">The parameter named in the exception.</param>
    /// <returns>The requirement.</returns>
    /// <exception cref="ArgumentException">The scope is missing, malformed or a pattern.</exception>
    public static PassportToolRequirement Parse(string scope, string? paramName = null) =>
        TryParse(scope, out var requirement, out var error)
            ? requirement
            : throw new ArgumentException($"The scope '{scope}' must be a concrete scope: {error}.", paramName ?? nameof(scope));

    /// <summary>Tries to parse a requirement, saying why it is not one when it is not.</summary>
    /// <param name="scope">The scope text.</param>
    /// <param name="requirement">The requirement when <paramref name="scope"/> is a concrete scope.</param>
    /// <param name="error">Why it is not (malformed, or a pattern).</param>
    /// <returns><see langword="true"/> when <paramref name="scope"/> is a well-formed concrete scope.</returns>
    public static bool TryParse([NotNullWhen(true)] string? scope, [NotNullWhen(true)] out PassportToolRequirement? requirement, [NotNullWhen(false)] out string? error)
    {
        requirement = null;
        if (!PassportScope.TryParse(scope, out var parsed, out error))
        {
            return false;
        }

        if (parsed.IsPattern)
        {
            error = "a pattern";
            return false;
        }

        requirement = new PassportToolRequirement(parsed);
        return true;
    }

    /// <summary>Gets a value indicating whether <paramref name="granted"/> (a verified Passport's tool scopes) grants this requirement.</summary>
    /// <param name="granted">The scopes granted.</param>
    /// <returns><see langword="true"/> when one of them covers <see cref="Scope"/>.</returns>
    public bool IsGrantedBy(ScopeSet granted)
    {
        ArgumentNullException.ThrowIfNull(granted);
        return granted.Covers(Scope);
    }

    /// <inheritdoc />
    public override string ToString() => Scope.Value;
}
