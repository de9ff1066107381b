namespace AgentPassport.Benchmarks.Full;

/// <summary>Waits for a verification without allocating a Task when it completed synchronously (in-memory resolver).</summary>
internal static class BenchSync
{
    public static PassportValidationResult Wait(ValueTask<PassportValidationResult> pending) =>
        pending.IsCompletedSuccessfully ? pending.Result : pending.AsTask().GetAwaiter().GetResult();
}
