using Microsoft.Extensions.AI;

namespace AgentPassport.AgentFramework;

/// <summary>Configures the Passport middleware of one agent.</summary>
public sealed class PassportAgentOptions
{
    /// <summary>Gets the scope each tool requires, by tool name; checked first. Values must be concrete scopes.</summary>
    public IDictionary<string, string> ToolScopes { get; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>
    /// Gets or sets a last-resort resolver for tools with no mapped scope, no attached one
    /// (<see cref="PassportAIFunctionExtensions.WithPassportScope"/>) and no <see cref="PassportScopeAttribute"/>. Returning null denies the tool.
    /// </summary>
    public Func<AIFunction, string?>? ScopeResolver { get; set; }

    /// <summary>Gets or sets a value indicating whether a denial terminates the agent's function-invocation loop.</summary>
    /// <value>Default true.</value>
    public bool TerminateOnDenial { get; set; } = true;
}
