using System.Runtime.CompilerServices;
using Microsoft.SemanticKernel;

namespace AgentPassport.SemanticKernel;

/// <summary>
/// Proof, between the Passport filter and a self-guarded kernel function (<see cref="SelfGuardedKernelFunctions"/>), that
/// one kernel call was already decided, so each attempt has exactly one decision. A ticket names one function instance and
/// one <see cref="KernelArguments"/> instance and lives only in that call's async flow; it is taken (cleared) by the first
/// layer that honours it, so the body's own nested calls are decided afresh.
/// </summary>
internal sealed class PassportKernelCallTicket
{
    private static readonly AsyncLocal<PassportKernelCallTicket?> Pending = new();

    private static readonly ConditionalWeakTable<KernelArguments, StreamingTicket> StreamingAllowed = new();

    private readonly KernelFunction _function;
    private readonly KernelArguments _arguments;
    private readonly bool _preDecided;

    private PassportKernelCallTicket(KernelFunction function, KernelArguments arguments, bool preDecided)
    {
        _function = function;
        _arguments = arguments;
        _preDecided = preDecided;
    }

    /// <summary>The Passport filter allowed this call: the self-guarded body it reaches need not decide again.</summary>
    public static Scope Allowed(KernelFunction function, KernelArguments arguments) => Set(new(function, arguments, preDecided: false));

    /// <summary>A self-guarded function decided this call of its inner function: the Passport filter passes it through.</summary>
    public static Scope PreDecided(KernelFunction function, KernelArguments arguments) => Set(new(function, arguments, preDecided: true));

    /// <summary>
    /// The Passport filter allowed this streaming call. Its body runs only when the caller enumerates the stream, after the
    /// filter returned, so the ticket is kept on the arguments instance (for this function on this kernel) until taken.
    /// </summary>
    public static void AllowedStreaming(KernelFunction function, KernelArguments arguments, Kernel kernel) =>
        StreamingAllowed.AddOrUpdate(arguments, new StreamingTicket(function, kernel));

    /// <summary>Takes an <see cref="Allowed"/> or <see cref="AllowedStreaming"/> ticket for exactly this call.</summary>
    public static bool TryTakeAllowed(KernelFunction function, KernelArguments arguments, Kernel kernel)
    {
        if (TryTake(function, arguments, preDecided: false))
        {
            return true;
        }

        if (StreamingAllowed.TryGetValue(arguments, out var streaming) && ReferenceEquals(streaming.Function, function) && ReferenceEquals(streaming.Kernel, kernel))
        {
            return StreamingAllowed.Remove(arguments);
        }

        return false;
    }

    /// <summary>Takes a <see cref="PreDecided"/> ticket for exactly this call.</summary>
    public static bool TryTakePreDecided(KernelFunction function, KernelArguments arguments) => TryTake(function, arguments, preDecided: true);

    private static bool TryTake(KernelFunction function, KernelArguments arguments, bool preDecided)
    {
        var ticket = Pending.Value;
        if (ticket is null || ticket._preDecided != preDecided || !ReferenceEquals(ticket._function, function) || !ReferenceEquals(ticket._arguments, arguments))
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

    private sealed record StreamingTicket(KernelFunction Function, Kernel Kernel);

    /// <summary>Withdraws the ticket when the call returns.</summary>
    public readonly struct Scope(PassportKernelCallTicket? previous) : IDisposable
    {
        public void Dispose() => Pending.Value = previous;
    }
}
