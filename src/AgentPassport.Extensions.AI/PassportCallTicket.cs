using System.Reflection;
using Microsoft.Extensions.AI;

namespace AgentPassport.Extensions.AI;

/// <summary>
/// Proof, for the inner layers of one tool call, that the call was already decided: an outer guard that allowed a call
/// issues a ticket for exactly that call's <see cref="AIFunctionArguments"/> instance and the functions it wraps; an inner
/// guard (another agent's, re-bound this way to the executing agent) or middleware of the same call consumes it instead of
/// deciding again, so each attempt has exactly one decision. A ticket is honoured only by a function inside the issuing
/// guard's delegating chain, only for that arguments instance, only while the arguments still read as the ones the
/// decision saw (a wrapper or middleware that changes them in between gets its call decided again, with the new arguments),
/// and only within that call's async flow: a tool body that calls some other tool, or forwards its arguments elsewhere,
/// gets no pass.
/// </summary>
internal sealed class PassportCallTicket
{
    private static readonly AsyncLocal<PassportCallTicket?> Pending = new();

    private readonly AIFunctionArguments _arguments;
    private readonly PassportToolArguments _decided;
    // DelegatingAIFunction.InnerFunction is protected; reading it is how the chain of wrappers is known.
    private static readonly PropertyInfo InnerFunctionProperty =
        typeof(DelegatingAIFunction).GetProperty("InnerFunction", BindingFlags.Instance | BindingFlags.NonPublic | BindingFlags.Public)
        ?? throw new InvalidOperationException("DelegatingAIFunction.InnerFunction was not found.");

    private readonly HashSet<AIFunction> _inside;

    private PassportCallTicket(AIFunctionArguments arguments, PassportToolArguments decided, PassportContext decidedFor, HashSet<AIFunction> inside)
    {
        _arguments = arguments;
        _decided = decided;
        DecidedFor = decidedFor;
        _inside = inside;
    }

    /// <summary>Gets the agent the call was decided (and allowed) for.</summary>
    public PassportContext DecidedFor { get; }

    /// <summary>Issues a ticket for the call with <paramref name="arguments"/> (read as <paramref name="decided"/> when decided) into <paramref name="inner"/>, until disposed.</summary>
    public static Scope Issue(AIFunctionArguments arguments, PassportToolArguments decided, PassportContext decidedFor, AIFunction inner)
    {
        var inside = new HashSet<AIFunction>(ReferenceEqualityComparer.Instance);
        for (AIFunction? f = inner; f is not null && inside.Add(f); f = InnerOf(f))
        {
        }

        var previous = Pending.Value;
        Pending.Value = new PassportCallTicket(arguments, decided, decidedFor, inside);
        return new Scope(previous);
    }

    /// <summary>
    /// Reads the pending ticket when it was issued for this very call and <paramref name="self"/> is inside its guard. When
    /// the arguments now read as something else than the decision saw (<paramref name="changed"/>), the call must be decided
    /// again — for the agent returned, never for whichever agent an inner guard happens to be bound to.
    /// </summary>
    /// <param name="arguments">The arguments instance the caller was given.</param>
    /// <param name="current">Those arguments as the body will receive them.</param>
    /// <param name="self">The function asking.</param>
    /// <param name="changed">True when the arguments differ from the decided ones.</param>
    /// <returns>The agent the call was decided for, or null (no ticket: decide now for your own agent).</returns>
    public static PassportContext? TryConsume(AIFunctionArguments? arguments, PassportToolArguments current, AIFunction self, out bool changed)
    {
        var ticket = Pending.Value;
        changed = false;
        if (ticket is null || arguments is null || !ReferenceEquals(ticket._arguments, arguments) || !ticket._inside.Contains(self))
        {
            return null;
        }

        changed = !PassportToolArgumentReader.StillHolds(ticket._decided, current);
        return ticket.DecidedFor;
    }

    /// <summary>
    /// Reads the pending ticket when <paramref name="self"/> is inside its guard, whatever arguments instance it was given:
    /// for a leaf that receives a copy of the call's arguments (a kernel function invoked as an <see cref="AIFunction"/>
    /// gets new KernelArguments). The caller suspends the ticket (<see cref="Suspend"/>) before running its body.
    /// </summary>
    /// <param name="self">The leaf.</param>
    /// <param name="current">The leaf's arguments as its body will receive them.</param>
    /// <param name="changed">True when they differ from the decided ones: decide again, for the agent returned.</param>
    /// <returns>The agent the call was decided for, or null (no ticket).</returns>
    public static PassportContext? TryConsumeInside(AIFunction self, PassportToolArguments current, out bool changed)
    {
        var ticket = Pending.Value;
        changed = false;
        if (ticket is null || !ticket._inside.Contains(self))
        {
            return null;
        }

        changed = !PassportToolArgumentReader.StillHolds(ticket._decided, current);
        return ticket.DecidedFor;
    }

    /// <summary>Withdraws any pending ticket for the flow of a body (its nested calls are decided afresh), until disposed.</summary>
    public static Scope Suspend()
    {
        var previous = Pending.Value;
        Pending.Value = null;
        return new Scope(previous);
    }

    /// <summary>Gets the function a delegating wrapper wraps, or null.</summary>
    public static AIFunction? InnerOf(AIFunction function) =>
        function is DelegatingAIFunction ? InnerFunctionProperty.GetValue(function) as AIFunction : null;

    /// <summary>Withdraws the ticket (consumed or not) when the call returns.</summary>
    public readonly struct Scope(PassportCallTicket? previous) : IDisposable
    {
        public void Dispose() => Pending.Value = previous;
    }
}
