namespace AgentPassport;

/// <summary>What <see cref="PassportAuditLogVerifier"/> found wrong first in a log.</summary>
public enum PassportAuditLogFault
{
    /// <summary>Nothing: every record chains to the one before it and every checkpoint verifies.</summary>
    None = 0,

    /// <summary>A record's content was changed (its successor or checkpoint attests other bytes, or it is no longer canonical).</summary>
    EditedRecord = 1,

    /// <summary>A record is missing: the sequence skips it.</summary>
    DeletedRecord = 2,

    /// <summary>A record that was never written by the log's writer sits in the chain (a repeated sequence number).</summary>
    InsertedRecord = 3,

    /// <summary>Records were moved: a sequence number appears later than where it belongs.</summary>
    ReorderedRecord = 4,

    /// <summary>A checkpoint's signature does not verify with the log's key, or the key is not the expected one.</summary>
    ForgedCheckpoint = 5,

    /// <summary>The log ends without its writer's closing checkpoint while it was required to be closed: its tail may have been cut.</summary>
    TruncatedTail = 6,

    /// <summary>
    /// The last record is incomplete (a write interrupted by a crash). Not tampering: every record before it verified.
    /// </summary>
    TornRecord = 7,
}
