using Microsoft.Extensions.AI;

namespace AgentPassport.Extensions.AI;

/// <summary>
/// Resolves the scope an <see cref="AIFunction"/> tool requires: the core one order
/// (<see cref="PassportToolRequirementResolver"/>: map, attached scope, <see cref="PassportScopeAttribute"/>), then the
/// optional last-resort resolver. Null when none resolves: the call is then denied.
/// </summary>
internal sealed class PassportToolScopeResolver(PassportToolRequirementResolver requirements, Func<AIFunction, string?>? resolver)
{
    /// <summary>Copies and checks a configured map: every value must be a concrete scope (a misconfiguration throws now, not per call).</summary>
    public static PassportToolScopeResolver Create(IEnumerable<KeyValuePair<string, string>> map, Func<AIFunction, string?>? resolver) =>
        new(new PassportToolRequirementResolver(map), resolver);

    public string? Resolve(AIFunction function) =>
        function.ResolvePassportRequirement(requirements)?.ToString() ?? resolver?.Invoke(function);
}
