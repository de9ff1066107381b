using Microsoft.Extensions.AI;

namespace AgentPassport.Extensions.AI;

/// <summary>
/// Resolves the scope an <see cref="AIFunction"/> tool requires, in order: the map (keyed by tool name), the tool's
/// <see cref="AITool.AdditionalProperties"/> entry <see cref="PassportChatOptionsExtensions.ScopePropertyName"/>, then
/// the optional resolver. Null when none resolves: the call is then denied.
/// </summary>
internal sealed class PassportToolScopeResolver(IReadOnlyDictionary<string, string> map, Func<AIFunction, string?>? resolver)
{
    /// <summary>Copies and checks a configured map: every value must be a concrete scope (a misconfiguration throws now, not per call).</summary>
    public static PassportToolScopeResolver Create(IEnumerable<KeyValuePair<string, string>> map, Func<AIFunction, string?>? resolver)
    {
        var copy = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (tool, scope) in map)
        {
            ArgumentException.ThrowIfNullOrWhiteSpace(tool);
            if (!PassportScope.TryParse(scope, out var parsed, out var error) || parsed.IsPattern)
            {
                throw new ArgumentException($"The scope '{scope}' mapped to tool '{tool}' must be a concrete scope: {error ?? "a pattern"}.", nameof(map));
            }

            copy[tool] = scope;
        }

        return new PassportToolScopeResolver(copy, resolver);
    }

    public string? Resolve(AIFunction function)
    {
        if (map.TryGetValue(function.Name, out var mapped))
        {
            return mapped;
        }

        if (function.AdditionalProperties.TryGetValue(PassportChatOptionsExtensions.ScopePropertyName, out var value) && value is string attached)
        {
            return attached;
        }

        return resolver?.Invoke(function);
    }
}
