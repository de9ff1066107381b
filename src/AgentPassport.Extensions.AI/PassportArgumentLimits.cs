using Microsoft.Extensions.AI;

namespace AgentPassport.Extensions.AI;

/// <summary>
/// Telling the model the argument limits of its Passport (spec v1.1 §13), so it does not waste calls it cannot make: the
/// advertised description of a tool gets the constraints of the capabilities that cover the tool's scope appended. A
/// courtesy only: enforcement never depends on it (the guard checks every call's arguments either way).
/// </summary>
internal static class PassportArgumentLimits
{
    /// <summary>Gets the text stating the limits on calls requiring <paramref name="scope"/>, or null when some covering capability has none.</summary>
    public static string? Describe(Passport passport, string? scope)
    {
        if (scope is null || passport.Constraints.IsEmpty || !PassportToolRequirement.TryParse(scope, out var requirement, out _))
        {
            return null;
        }

        var capabilities = new List<string>();
        foreach (var entry in passport.ToolScope)
        {
            if (!entry.Covers(requirement.Scope))
            {
                continue;
            }

            var constraints = passport.Constraints.For(entry.Value);
            if (constraints.Count == 0)
            {
                return null;   // this capability allows any arguments: nothing to tell
            }

            capabilities.Add(string.Join(", ", constraints.Select(c => $"{c.Key} {c.Value}")));
        }

        return capabilities.Count == 0 ? null : "Argument limits: " + string.Join(" or ", capabilities) + ".";
    }

    /// <summary>Returns <paramref name="tool"/> advertised with <paramref name="limits"/> appended to its description.</summary>
    public static AIFunction Advertise(AIFunction tool, string? limits) => limits is null ? tool : new Described(tool, limits);

    private sealed class Described(AIFunction inner, string limits) : DelegatingAIFunction(inner)
    {
        public override string Description => string.IsNullOrWhiteSpace(InnerFunction.Description) ? limits : $"{InnerFunction.Description} {limits}";
    }
}
