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

    /// <summary>
    /// What every tool body runs inside, whichever path decided it: no executing agent and no loop guard, so the body's own
    /// nested calls are decided afresh, for the agent whose Passport layer runs them, never for the caller's.
    /// </summary>
    public static ToolBodyScope EnterToolBody() => new(Enter(null), PassportLoopGuard.Enter(null));

    /// <summary>Restores the executing agent and the loop guard of the caller.</summary>
    public readonly struct ToolBodyScope(Scope execution, PassportLoopGuard.Scope loop) : IDisposable
    {
        public void Dispose()
        {
            loop.Dispose();
            execution.Dispose();
        }
    }

    /// <summary>Restores the previous executing agent.</summary>
    public readonly struct Scope(PassportContext? previous) : IDisposable
    {
        public void Dispose() => Agent.Value = previous;
    }
}
