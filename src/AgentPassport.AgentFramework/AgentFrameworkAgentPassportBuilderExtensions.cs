using AgentPassport;
using AgentPassport.AgentFramework;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Adds the Agent Framework piece to Agent Passport's registration.</summary>
public static class AgentFrameworkAgentPassportBuilderExtensions
{
    /// <summary>
    /// Registers the <see cref="PassportAgentDelegator"/> over the services <c>AddAgentPassport</c> registered (its
    /// <see cref="PassportDelegator"/> needs a registered <see cref="PassportIssuer"/>). Each agent still gets its Passport
    /// with <c>agent.AsBuilder().UseAgentPassport(...)</c> or through the delegator.
    /// </summary>
    /// <param name="builder">The builder <c>services.AddAgentPassport(...)</c> returned.</param>
    /// <returns>The same builder.</returns>
    public static AgentPassportBuilder AddAgentFramework(this AgentPassportBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.TryAddSingleton<PassportAgentDelegator>();
        return builder;
    }
}
