using System.Reflection;
using Microsoft.SemanticKernel;

namespace AgentPassport.SemanticKernel;

/// <summary>
/// Resolves the scope a kernel function requires (spec §3): the options map (<c>"plugin.function"</c>), then
/// <see cref="RequiresPassportScopeAttribute"/>, then <c>&lt;plugin&gt;:&lt;function&gt;</c>. Null when none resolves.
/// </summary>
internal sealed class ScopeRequirement
{
    private readonly Dictionary<string, string> _map;

    public ScopeRequirement(IEnumerable<KeyValuePair<string, string>>? map)
    {
        _map = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (function, scope) in map ?? [])
        {
            ArgumentException.ThrowIfNullOrWhiteSpace(function);
            _map[function] = Check(scope, nameof(map));
        }
    }

    /// <summary>The key of a function in the map and its tool name in audit records: <c>plugin.function</c>.</summary>
    public static string ToolName(KernelFunction function) =>
        function.PluginName is null ? function.Name : $"{function.PluginName}.{function.Name}";

    /// <summary>
    /// The application's own top-level prompt (<c>InvokePromptAsync</c>: no plugin, no method) is not a tool call.
    /// A model can only call functions of the kernel's plugins, which always have a plugin name.
    /// </summary>
    public static bool IsTopLevelPrompt(KernelFunction function) =>
        function.PluginName is null && function.UnderlyingMethod is null;

    public string? Resolve(KernelFunction function)
    {
        if (_map.TryGetValue(ToolName(function), out var mapped))
        {
            return mapped;
        }

        if (function.UnderlyingMethod?.GetCustomAttribute<RequiresPassportScopeAttribute>(inherit: true) is { } attribute)
        {
            return attribute.Scope;
        }

        if (function.PluginName is null)
        {
            return null;
        }

        var scope = $"{function.PluginName}:{function.Name}";
        return PassportScope.TryParse(scope, out var parsed) && !parsed.IsPattern ? scope : null;
    }

    public string? ResolveName(string toolName) => _map.TryGetValue(toolName, out var mapped) ? mapped : null;

    public static string Check(string scope, string paramName)
    {
        if (!PassportScope.TryParse(scope, out var parsed, out var error))
        {
            throw new ArgumentException($"The scope '{scope}' is malformed: {error}.", paramName);
        }

        if (parsed.IsPattern)
        {
            throw new ArgumentException($"The scope '{scope}' must be concrete, not a pattern.", paramName);
        }

        return scope;
    }
}
