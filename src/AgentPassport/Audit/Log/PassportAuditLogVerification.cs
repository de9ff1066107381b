namespace AgentPassport;

/// <summary>The result of verifying an audit log: intact or the first bad record, and what the log covers.</summary>
public sealed record PassportAuditLogVerification
{
    /// <summary>Gets the first fault found, or <see cref="PassportAuditLogFault.None"/>.</summary>
    public required PassportAuditLogFault Fault { get; init; }

    /// <summary>Gets the sequence number of the first bad record (for a deleted or truncated record, the first missing one); null when intact.</summary>
    public long? FirstBadSeq { get; init; }

    /// <summary>Gets a one-line description of the result (no record content beyond sequence numbers).</summary>
    public required string Message { get; init; }

    /// <summary>Gets how many records verified (events and checkpoints) before the first fault.</summary>
    public long VerifiedRecords { get; init; }

    /// <summary>Gets how many of the verified records are events.</summary>
    public long VerifiedEvents { get; init; }

    /// <summary>Gets the last sequence number that verified, or 0.</summary>
    public long LastVerifiedSeq { get; init; }

    /// <summary>Gets the sequence number of the last checkpoint that verified, or 0.</summary>
    public long LastCheckpointSeq { get; init; }

    /// <summary>Gets a value indicating whether the log ends with its writer's closing checkpoint (a clean close).</summary>
    public bool Sealed { get; init; }

    /// <summary>Gets the <c>kid</c> of the key that signed the checkpoints, when there was one.</summary>
    public string? KeyId { get; init; }

    /// <summary>Gets a value indicating whether the checkpoints were checked against keys given by the caller (rather than the key the log carries).</summary>
    public bool KeyPinned { get; init; }

    /// <summary>Gets a value indicating whether no tampering was found (a torn last record from a crash is not tampering).</summary>
    public bool IsIntact => Fault is PassportAuditLogFault.None or PassportAuditLogFault.TornRecord;

    /// <summary>Gets the events that verified, oldest first, when the verifier was asked to keep them; otherwise empty.</summary>
    public IReadOnlyList<PassportAuditEvent> Events { get; init; } = [];
}
