namespace AgentPassport;

/// <summary>The outcome of <see cref="IPassportReplayCache.TryRecordAsync"/>. The default value decides nothing and is refused.</summary>
public enum PassportReplayCheck
{
    /// <summary>The proof was recorded now: its first use.</summary>
    FirstUse = 1,

    /// <summary>The proof was recorded before: a replay.</summary>
    Replayed = 2,

    /// <summary>The cache could not decide (full, unreachable, timed out); the call is refused.</summary>
    Unavailable = 3,
}
