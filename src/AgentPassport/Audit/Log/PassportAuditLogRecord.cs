namespace AgentPassport;

/// <summary>
/// One stored record of an audit log: its sequence number (the store's ordering key) and its bytes, the RFC 8785
/// canonical JSON of an event or a checkpoint with <c>seq</c> and <c>prev</c> (see docs/audit.md).
/// </summary>
/// <param name="Seq">The sequence number the store keeps the record under.</param>
/// <param name="Bytes">The record's canonical JSON (UTF-8), as stored.</param>
public sealed record PassportAuditLogRecord(long Seq, ReadOnlyMemory<byte> Bytes);
