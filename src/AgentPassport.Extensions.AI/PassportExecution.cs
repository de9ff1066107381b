namespace AgentPassport.Extensions.AI;

/// <summary>
/// The agent whose run is executing now, set by an agent-level adapter (the Agent Framework <c>UseAgentPassport</c>)
/// for the duration of one run and cleared while a tool body runs. A Passport chat client uses it to refuse being driven
/// by another agent than its own (one chat client shared between agents).
/// </summary>
internal static class PassportExecution
{
    private static readonly AsyncLocal<PassportContext?> Agent = new();

    /// <summary>Gets the executing agent's Passport, or null outside any agent run.</summary>
    public static PassportContext? Current => Agent.Value;

    /// <summary>Makes <paramref name="context"/> the executing agent until the returned scope is disposed.</summary>
    public static Scope Enter(PassportContext? context)
    {
        var previous = Agent.Value;
        Agent.Value = context;
        return new Scope(previous);
    }

    /// <summary>Restores the previous executing agent.</summary>
    public readonly struct Scope(PassportContext? previous) : IDisposable
    {
        public void Dispose() => Agent.Value = previous;
    }
}
