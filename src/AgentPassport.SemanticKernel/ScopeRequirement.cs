using System.Runtime.CompilerServices;
using Microsoft.SemanticKernel;

namespace AgentPassport.SemanticKernel;

/// <summary>
/// Resolves the scope a kernel function requires through the core <see cref="PassportToolRequirementResolver"/>, in its one
/// order: the scope map (<c>"plugin.function"</c>), then <see cref="PassportScopeAttribute"/> (method, else class), then the
/// convention <c>&lt;plugin&gt;:&lt;function&gt;</c>. Null when none resolves.
/// </summary>
/// <remarks>
/// The answer depends only on the function's name, plugin name and method (fixed for a <see cref="KernelFunction"/>
/// instance) and on the map (copied and never changed), so it is computed once per function instance and kept in a
/// <see cref="ConditionalWeakTable{TKey, TValue}"/>: no reflection or string building on the call path, and a function
/// that is dropped is not kept alive.
/// </remarks>
internal sealed class ScopeRequirement
{
    private readonly PassportToolRequirementResolver _resolver;
    private readonly ConditionalWeakTable<KernelFunction, Resolved> _resolved = new();

    public ScopeRequirement(IEnumerable<KeyValuePair<string, string>>? map)
    {
        _resolver = new PassportToolRequirementResolver(map);
    }

    /// <summary>Gets the core resolver over this map (for functions that are not kernel functions).</summary>
    public PassportToolRequirementResolver Resolver => _resolver;

    /// <summary>The key of a function in the map and its tool name in audit records: <c>plugin.function</c>.</summary>
    public static string ToolName(KernelFunction function) =>
        function.PluginName is null ? function.Name : $"{function.PluginName}.{function.Name}";

    // Semantic Kernel's prompt function type (internal): InvokePromptAsync and KernelFunctionFactory.CreateFromPrompt make one.
    private static readonly Type? PromptFunctionType = typeof(KernelFunctionFactory).Assembly.GetType("Microsoft.SemanticKernel.KernelFunctionFromPrompt");

    /// <summary>
    /// The application's own top-level prompt (<c>InvokePromptAsync</c>: a prompt function with no plugin) is not a tool call.
    /// Only a real prompt function qualifies: an <c>AsKernelFunction()</c> or any other plugin-less function that can run
    /// code is a tool call with no resolvable requirement, so it is denied.
    /// </summary>
    public static bool IsTopLevelPrompt(KernelFunction function) =>
        function.PluginName is null && PromptFunctionType is not null && function.GetType() == PromptFunctionType;

    /// <summary>The function's tool name and required scope (null when none resolves), computed once per instance.</summary>
    public Resolved For(KernelFunction function)
    {
        if (_resolved.TryGetValue(function, out var resolved))
        {
            return resolved;
        }

        resolved = new Resolved(ToolName(function), Compute(function));

        // Concurrent first calls may both compute; the answers are equal, and the first one stored is kept.
        return _resolved.TryAdd(function, resolved) ? resolved : _resolved.TryGetValue(function, out var stored) ? stored : resolved;
    }

    public string? Resolve(KernelFunction function) => For(function).Scope;

    private string? Compute(KernelFunction function)
    {
        // A self-guarded function's method is the guard: the attribute is on the method of the function it wraps.
        var method = (SelfGuardedKernelFunctions.InnerOf(function) ?? function).UnderlyingMethod;
        var convention = function.PluginName is null ? null : $"{function.PluginName}:{function.Name}";
        return _resolver.Resolve(ToolName(function), attachedScope: null, PassportScopeAttribute.Find(method), convention)?.ToString();
    }

    public string? ResolveName(string toolName) => _resolver.Mapped(toolName)?.ToString();

    /// <summary>A function's tool name (for audit records) and its required scope, or null when none resolves.</summary>
    internal sealed record Resolved(string ToolName, string? Scope);
}
