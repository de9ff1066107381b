namespace AgentPassport.SemanticKernel;

/// <summary>Configures the Semantic Kernel piece of Agent Passport (<c>AddSemanticKernel</c>).</summary>
public sealed class PassportKernelOptions
{
    /// <summary>
    /// Gets the scope map: the scope a function requires, keyed <c>"plugin.function"</c>. It comes first in the one
    /// precedence order (<see cref="PassportToolRequirementResolver"/>). Values must be concrete scopes.
    /// </summary>
    /// <value>Default empty.</value>
    public IDictionary<string, string> ToolScopes { get; } = new Dictionary<string, string>(StringComparer.Ordinal);
}
