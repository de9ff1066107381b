namespace AgentPassport;

/// <summary>
/// Where an audit log's records live (SQLite in <c>AgentPassport.Sqlite</c>, memory in
/// <see cref="InMemoryPassportAuditLogStore"/>, or any other store). A store keeps opaque records in order; it does not
/// judge them: <see cref="PassportAuditLog"/> writes them and <see cref="PassportAuditLogVerifier"/> checks them.
/// </summary>
public interface IPassportAuditLogStore
{
    /// <summary>Appends records atomically: all of them or none (a crash never leaves half a batch).</summary>
    /// <param name="records">The records, in order, with consecutive sequence numbers following the last stored one.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>A task that completes when the records are durable.</returns>
    /// <exception cref="PassportAuditLogException">The records could not be written.</exception>
    ValueTask AppendAsync(IReadOnlyList<PassportAuditLogRecord> records, CancellationToken cancellationToken = default);

    /// <summary>Reads the last stored record, or null for an empty log (the writer continues the chain from it).</summary>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The last record.</returns>
    /// <exception cref="PassportAuditLogException">The log could not be read.</exception>
    ValueTask<PassportAuditLogRecord?> ReadLastAsync(CancellationToken cancellationToken = default);

    /// <summary>Reads the records in stored order, starting at the first whose sequence number is at least <paramref name="fromSeq"/>.</summary>
    /// <param name="fromSeq">The first sequence number wanted (1 for the whole log).</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The records, as stored (possibly tampered with: verify before trusting them).</returns>
    /// <exception cref="PassportAuditLogException">The log could not be read.</exception>
    IAsyncEnumerable<PassportAuditLogRecord> ReadAsync(long fromSeq = 1, CancellationToken cancellationToken = default);
}
