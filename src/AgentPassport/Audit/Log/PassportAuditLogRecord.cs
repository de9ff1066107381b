namespace AgentPassport;

/// <summary>
/// One stored record of an audit log: its sequence number (the store's ordering key) and its bytes, the RFC 8785
/// canonical JSON of an event or a checkpoint with <c>seq</c> and <c>prev</c> (see docs/audit.md).
/// </summary>
/// <param name="Seq">The sequence number the store keeps the record under.</param>
/// <param name="Bytes">The record's canonical JSON (UTF-8), as stored.</param>
public sealed record PassportAuditLogRecord(long Seq, ReadOnlyMemory<byte> Bytes)
{
    /// <summary>Reads the event this record holds, without verifying anything (use <see cref="PassportAuditLogVerifier"/> for that).</summary>
    /// <returns>The event, or null for a checkpoint or a record that does not parse.</returns>
    public PassportAuditEvent? ReadEvent() => AuditRecordJson.TryParse(Bytes)?.Event;

    /// <summary>Gets a value indicating whether the record is a well-formed checkpoint (its signature unchecked).</summary>
    /// <returns>True for a checkpoint.</returns>
    public bool IsCheckpoint() => AuditRecordJson.TryParse(Bytes)?.Jws is not null;
}
