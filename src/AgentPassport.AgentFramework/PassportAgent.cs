using Microsoft.Agents.AI;

namespace AgentPassport.AgentFramework;

/// <summary>
/// Marks an agent with its Passport so that <see cref="PassportAIAgentExtensions.GetPassport"/> and the delegation service
/// can find it (<see cref="AIAgent.GetService"/> of <see cref="PassportContext"/>). Runs are passed through unchanged; the
/// enforcement is the function middleware that <c>UseAgentPassport</c> adds inside it.
/// </summary>
internal sealed class PassportAgent(AIAgent innerAgent, PassportContext context) : DelegatingAIAgent(innerAgent)
{
    public PassportContext Context { get; } = context;

    public override object? GetService(Type serviceType, object? serviceKey = null) =>
        serviceKey is null && serviceType == typeof(PassportContext) ? Context : base.GetService(serviceType, serviceKey);
}
