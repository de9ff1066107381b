using System.Text.Json;

namespace AgentPassport;

/// <content>Checking a call's arguments against one capability's constraints.</content>
public sealed partial class PassportConstraints
{
    /// <summary>
    /// Checks a call's arguments against every constraint of one <c>tool_scope</c> entry. Null or incomplete arguments
    /// (the adapter could not see them all) fail any constrained entry: doubt denies.
    /// </summary>
    /// <param name="scope">The <c>tool_scope</c> entry (verbatim).</param>
    /// <param name="arguments">The call's arguments, or null when unknown.</param>
    /// <param name="argument">The first argument that failed.</param>
    /// <param name="constraintName">The part of its constraint that refused it (<c>eq</c>, <c>in</c>, <c>min</c>, <c>max</c>, <c>prefix</c>, <c>maxLength</c>, <c>regex</c>).</param>
    /// <returns><see langword="true"/> when the arguments satisfy all of the entry's constraints (always, when it has none).</returns>
    internal bool Satisfied(string scope, PassportToolArguments? arguments, out string? argument, out string? constraintName)
    {
        argument = null;
        constraintName = null;
        if (!_byScope.TryGetValue(scope, out var constraints))
        {
            return true;
        }

        foreach (var (name, constraint) in constraints)
        {
            JsonElement value = default;
            bool known = arguments is not null && arguments.IsComplete && arguments.TryGetValue(name, out value);
            string? failed = known ? CheckOne(constraint, value) : constraint.Name;
            if (failed is not null)
            {
                argument = name;
                constraintName = failed;
                return false;
            }
        }

        return true;
    }

    private static string? CheckOne(PassportConstraint constraint, JsonElement value)
    {
        try
        {
            return constraint.Check(value);
        }
        catch (InvalidOperationException)
        {
            // A string that cannot be decoded (an escaped lone surrogate) is not a value anyone can vouch for.
            return constraint.Name;
        }
    }
}
