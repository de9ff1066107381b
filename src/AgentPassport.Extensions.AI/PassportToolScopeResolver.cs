using Microsoft.Extensions.AI;

namespace AgentPassport.Extensions.AI;

/// <summary>
/// Resolves the scope an <see cref="AIFunction"/> tool requires, in order: the map (keyed by tool name), the tool's
/// <see cref="AITool.AdditionalProperties"/> entry <see cref="PassportChatOptionsExtensions.ScopePropertyName"/>, then
/// the optional resolver. Null when none resolves: the call is then denied.
/// </summary>
internal sealed class PassportToolScopeResolver(IReadOnlyDictionary<string, string> map, Func<AIFunction, string?>? resolver)
{
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
