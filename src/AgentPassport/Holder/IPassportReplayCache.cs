namespace AgentPassport;

/// <summary>
/// Remembers which proofs were already used (spec v1.1 §11): one atomic "insert if absent, with expiry" keyed on the
/// holder key's thumbprint and the proof's <c>jti</c>. An implementation never forgets an entry before its expiry; when it
/// cannot record one (full, unreachable, timed out) it says so and the verifier refuses the call.
/// </summary>
public interface IPassportReplayCache
{
    /// <summary>Records the proof (<paramref name="thumbprint"/>, <paramref name="jti"/>) unless it is already recorded.</summary>
    /// <param name="thumbprint">The RFC 7638 thumbprint of the holder key.</param>
    /// <param name="jti">The proof's identifier.</param>
    /// <param name="timeToLive">How long the entry must be kept (the proof window plus the clock skew).</param>
    /// <param name="cancellationToken">Cancels the check.</param>
    /// <returns>Whether this is the first use, a replay, or could not be decided.</returns>
    ValueTask<PassportReplayCheck> TryRecordAsync(string thumbprint, string jti, TimeSpan timeToLive, CancellationToken cancellationToken = default);
}
