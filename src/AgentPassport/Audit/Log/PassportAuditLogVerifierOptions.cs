namespace AgentPassport;

/// <summary>How <see cref="PassportAuditLogVerifier"/> checks a log.</summary>
public sealed record PassportAuditLogVerifierOptions
{
    /// <summary>
    /// Gets the log's public keys (for example from the JWKS its writer published). When null, the checkpoints are checked
    /// with the key the first one carries: that detects a forged checkpoint among genuine ones, not a log whose every
    /// checkpoint was re-signed by someone else's key. Pin the key wherever the log leaves its writer's hands.
    /// </summary>
    public IReadOnlyList<PassportVerificationKey>? Keys { get; init; }

    /// <summary>
    /// Gets a value indicating whether the log must end with its writer's closing checkpoint. A log whose writer is done
    /// (a finished run) should: then a tail cut after a checkpoint is reported as <see cref="PassportAuditLogFault.TruncatedTail"/>.
    /// A log still being written, or whose writer crashed, ends without one.
    /// </summary>
    public bool RequireSealed { get; init; }

    /// <summary>Gets a value indicating whether the verified events are returned in <see cref="PassportAuditLogVerification.Events"/>.</summary>
    public bool KeepEvents { get; init; }
}
