using Microsoft.Extensions.DependencyInjection;

namespace AgentPassport.SemanticKernel;

/// <summary>Returned by <c>AddAgentPassport</c> to configure Agent Passport enforcement further.</summary>
public sealed class AgentPassportBuilder
{
    internal AgentPassportBuilder(IServiceCollection services) => Services = services;

    /// <summary>Gets the service collection.</summary>
    public IServiceCollection Services { get; }

    /// <summary>Maps a function (<c>"plugin.function"</c>) to the scope it requires, overriding its attribute and the default.</summary>
    /// <param name="function">The function key, <c>plugin.function</c>.</param>
    /// <param name="scope">A concrete scope.</param>
    /// <returns>This builder.</returns>
    public AgentPassportBuilder MapFunctionScope(string function, string scope)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(function);
        ScopeRequirement.Check(scope, nameof(scope));
        Services.Configure<AgentPassportOptions>(o => o.FunctionScopes[function] = scope);
        return this;
    }
}
