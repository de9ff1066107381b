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

    /// <summary>
    /// Gets or sets a value indicating whether each function a Passport kernel offers the model states, in its description,
    /// the argument limits of the kernel's own Passport for the function's required scope (spec v1.1 §13:
    /// <c>Argument limits: amount {"max":500}, dest {"in":["JFK","LGA"]}.</c>), so the model does not waste calls it cannot
    /// make. A courtesy only: every call's arguments are checked either way.
    /// </summary>
    /// <value>Default false.</value>
    public bool DescribeArgumentLimits { get; set; }
}
