using AgentPassport;
using AgentPassport.Extensions.AI;

namespace Microsoft.Extensions.AI;

/// <summary>Attaches a required Passport scope to a tool, and guards tools for one agent.</summary>
public static class PassportAIFunctionExtensions
{
    /// <summary>
    /// Returns the function with <see cref="PassportChatOptionsExtensions.ScopePropertyName"/> set to <paramref name="scope"/>
    /// in its <see cref="AITool.AdditionalProperties"/> (name, schema and behaviour unchanged).
    /// </summary>
    /// <param name="function">The tool.</param>
    /// <param name="scope">The concrete scope a call requires (for example <c>flights:book</c>).</param>
    /// <returns>A function that declares its scope.</returns>
    /// <exception cref="ArgumentException">The scope is malformed or a pattern.</exception>
    public static AIFunction WithPassportScope(this AIFunction function, string scope)
    {
        ArgumentNullException.ThrowIfNull(function);
        _ = PassportToolRequirement.Parse(scope, nameof(scope));
        return new ScopedAIFunction(function, scope);
    }

    /// <summary>
    /// Resolves the tool's requirement in the one order every adapter uses (<see cref="PassportToolRequirementResolver"/>):
    /// the scope mapped to its name, else the scope attached with <see cref="WithPassportScope"/>, else the
    /// <see cref="PassportScopeAttribute"/> on the method it was created from.
    /// </summary>
    /// <param name="function">The tool.</param>
    /// <param name="resolver">The resolver over the adapter's scope map.</param>
    /// <returns>The requirement, or null when none resolves (its calls are denied).</returns>
    public static PassportToolRequirement? ResolvePassportRequirement(this AIFunction function, PassportToolRequirementResolver resolver)
    {
        ArgumentNullException.ThrowIfNull(function);
        ArgumentNullException.ThrowIfNull(resolver);
        var attached = function.AdditionalProperties.TryGetValue(PassportChatOptionsExtensions.ScopePropertyName, out var value) ? value as string : null;
        return resolver.Resolve(function.Name, attached, PassportScopeAttribute.Find(function.UnderlyingMethod));
    }

    /// <summary>
    /// Wraps each function in a <see cref="PassportGuardedAIFunction"/> bound to one agent's Passport. A function already
    /// guarded for this agent is returned unchanged (never guarded twice); one guarded for another agent is guarded for this
    /// one, whose decision is then the only one made for each call.
    /// </summary>
    /// <param name="functions">The tools.</param>
    /// <param name="authorizer">The shared enforcement path.</param>
    /// <param name="context">The agent's Passport and chain.</param>
    /// <param name="toolScopes">The scope map, by tool name; first in the one order (map, attached scope, <see cref="PassportScopeAttribute"/>), then the scope of a guard the tool already carries; otherwise every call is denied.</param>
    /// <returns>The guarded tools, in order.</returns>
    /// <exception cref="ArgumentException">A mapped scope is not a concrete scope.</exception>
    public static IList<AITool> GuardWithPassport(this IEnumerable<AIFunction> functions, PassportAuthorizer authorizer, PassportContext context, IReadOnlyDictionary<string, string>? toolScopes = null)
    {
        ArgumentNullException.ThrowIfNull(functions);
        ArgumentNullException.ThrowIfNull(authorizer);
        ArgumentNullException.ThrowIfNull(context);
        var resolver = PassportToolScopeResolver.Create(toolScopes ?? new Dictionary<string, string>(), null);
        return functions.Select(f => Guard(f, authorizer, context, resolver)).ToList();
    }

    // Guarded for this agent already (even inside an approval wrapper): kept, one decision. Guarded for another agent: this
    // agent's guard goes around it and decides alone; the inner guard is re-bound to this agent for each call.
    private static AITool Guard(AIFunction function, PassportAuthorizer authorizer, PassportContext context, PassportToolScopeResolver resolver)
    {
        if (PassportToolGuards.IsGuardedFor(function, context))
        {
            return function;
        }

        var existing = PassportToolGuards.FindGuard(function);
        return new PassportGuardedAIFunction(function, authorizer, context, resolver.Resolve(function) ?? existing?.RequiredScope, existing?.ToolName);
    }

    private sealed class ScopedAIFunction(AIFunction inner, string scope) : DelegatingAIFunction(inner)
    {
        private readonly Dictionary<string, object?> _properties = new(inner.AdditionalProperties) { [PassportChatOptionsExtensions.ScopePropertyName] = scope };

        public override IReadOnlyDictionary<string, object?> AdditionalProperties => _properties;
    }
}
