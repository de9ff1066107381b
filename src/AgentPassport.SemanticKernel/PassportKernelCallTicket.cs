using System.Runtime.CompilerServices;
using Microsoft.SemanticKernel;

namespace AgentPassport.SemanticKernel;

/// <summary>
/// Proof, between the Passport filter and a self-guarded kernel function (<see cref="SelfGuardedKernelFunctions"/>), that
/// one kernel call was already decided, so each attempt has exactly one decision. A ticket names one function instance and
/// one <see cref="KernelArguments"/> instance and lives only in that call's async flow; it is taken (cleared) by the first
/// layer that honours it, so the body's own nested calls are decided afresh. It is honoured only while the arguments still
/// read as the ones the decision saw: a filter that changes them between the decision and the body gets the call decided
/// again, with the arguments the body would receive.
/// </summary>
internal sealed class PassportKernelCallTicket
{
    private static readonly AsyncLocal<PassportKernelCallTicket?> Pending = new();

    private static readonly ConditionalWeakTable<KernelArguments, StreamingTicket> StreamingAllowed = new();

    private readonly KernelFunction _function;
    private readonly KernelArguments _arguments;
    private readonly PassportToolArguments _decided;
    private readonly bool _preDecided;

    private PassportKernelCallTicket(KernelFunction function, KernelArguments arguments, PassportToolArguments decided, bool preDecided)
    {
        _function = function;
        _arguments = arguments;
        _decided = decided;
        _preDecided = preDecided;
    }

    /// <summary>The Passport filter allowed this call (with arguments read as <paramref name="decided"/>): the self-guarded body it reaches need not decide again.</summary>
    public static Scope Allowed(KernelFunction function, KernelArguments arguments, PassportToolArguments decided) => Set(new(function, arguments, decided, preDecided: false));

    /// <summary>A self-guarded function decided this call of its inner function (with arguments read as <paramref name="decided"/>): the Passport filter passes it through.</summary>
    public static Scope PreDecided(KernelFunction function, KernelArguments arguments, PassportToolArguments decided) => Set(new(function, arguments, decided, preDecided: true));

    /// <summary>
    /// The Passport filter allowed this streaming call. Its body runs only when the caller enumerates the stream, after the
    /// filter returned, so the ticket is kept on the arguments instance (for this function on this kernel) until taken.
    /// </summary>
    public static void AllowedStreaming(KernelFunction function, KernelArguments arguments, Kernel kernel, PassportToolArguments decided) =>
        StreamingAllowed.AddOrUpdate(arguments, new StreamingTicket(function, kernel, decided));

    /// <summary>
    /// Takes an <see cref="Allowed"/> or <see cref="AllowedStreaming"/> ticket for exactly this call (taken either way):
    /// <see cref="TicketMatch.Changed"/> when the arguments now read otherwise than the decision saw (decide again, on
    /// <paramref name="kernel"/>).
    /// </summary>
    public static TicketMatch TryTakeAllowed(KernelFunction function, KernelArguments arguments, Kernel kernel, PassportToolArguments current)
    {
        var ticket = Pending.Value;
        if (ticket is not null && !ticket._preDecided && ReferenceEquals(ticket._function, function) && ReferenceEquals(ticket._arguments, arguments))
        {
            Pending.Value = null;
            return PassportToolArgumentReader.StillHolds(ticket._decided, current) ? TicketMatch.Same : TicketMatch.Changed;
        }

        if (StreamingAllowed.TryGetValue(arguments, out var streaming) && ReferenceEquals(streaming.Function, function) && ReferenceEquals(streaming.Kernel, kernel)
            && StreamingAllowed.Remove(arguments))
        {
            return PassportToolArgumentReader.StillHolds(streaming.Decided, current) ? TicketMatch.Same : TicketMatch.Changed;
        }

        return TicketMatch.None;
    }

    /// <summary>Takes a <see cref="PreDecided"/> ticket for exactly this call, with the arguments it was decided with (else the filter decides it).</summary>
    public static bool TryTakePreDecided(KernelFunction function, KernelArguments arguments)
    {
        var ticket = Pending.Value;
        if (ticket is null || !ticket._preDecided || !ReferenceEquals(ticket._function, function) || !ReferenceEquals(ticket._arguments, arguments)
            || !PassportToolArgumentReader.StillHolds(ticket._decided, KernelArgumentReader.Read(function, arguments)))
        {
            return false;
        }

        // Cleared for the rest of this flow (the caller's own flow keeps its value until its scope ends).
        Pending.Value = null;
        return true;
    }

    private static Scope Set(PassportKernelCallTicket ticket)
    {
        var previous = Pending.Value;
        Pending.Value = ticket;
        return new Scope(previous);
    }

    /// <summary>What an <see cref="TryTakeAllowed"/> found.</summary>
    public enum TicketMatch
    {
        /// <summary>No ticket for this call: nothing decided it.</summary>
        None,

        /// <summary>Decided, with these very arguments.</summary>
        Same,

        /// <summary>Decided, but the arguments changed since: decide again.</summary>
        Changed,
    }

    private sealed record StreamingTicket(KernelFunction Function, Kernel Kernel, PassportToolArguments Decided);

    /// <summary>Withdraws the ticket when the call returns.</summary>
    public readonly struct Scope(PassportKernelCallTicket? previous) : IDisposable
    {
        public void Dispose() => Pending.Value = previous;
    }
}
