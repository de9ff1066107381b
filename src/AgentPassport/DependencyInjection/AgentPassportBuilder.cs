using Microsoft.Extensions.DependencyInjection;

namespace AgentPassport;

/// <summary>Returned by <c>AddAgentPassport</c>: each adapter adds its own piece on it (<c>.AddSemanticKernel()</c>, <c>.AddModelContextProtocol()</c>, …).</summary>
public sealed class AgentPassportBuilder
{
    internal AgentPassportBuilder(IServiceCollection services) => Services = services;

    /// <summary>Gets the service collection.</summary>
    public IServiceCollection Services { get; }
}
