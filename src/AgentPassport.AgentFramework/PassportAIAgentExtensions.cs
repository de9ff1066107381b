using AgentPassport;

namespace Microsoft.Agents.AI;

/// <summary>Reads an agent's Passport.</summary>
public static class PassportAIAgentExtensions
{
    /// <summary>Gets the Passport given to this agent by <c>UseAgentPassport</c>, or null.</summary>
    /// <param name="agent">The agent.</param>
    /// <returns>The agent's Passport and chain, or null.</returns>
    public static PassportContext? GetPassport(this AIAgent agent)
    {
        ArgumentNullException.ThrowIfNull(agent);
        return agent.GetService<PassportContext>();
    }
}
