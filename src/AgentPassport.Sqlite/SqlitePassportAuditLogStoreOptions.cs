namespace AgentPassport.Sqlite;

/// <summary>How a <see cref="SqlitePassportAuditLogStore"/> opens its file.</summary>
public sealed record SqlitePassportAuditLogStoreOptions
{
    /// <summary>Gets a value indicating whether the store only reads (verify, tree, tail, export): no writer lock, no schema changes.</summary>
    public bool ReadOnly { get; init; }

    /// <summary>
    /// Gets a value indicating whether every commit is flushed to disk (<c>synchronous=FULL</c>), surviving a power cut.
    /// The default (<c>NORMAL</c>, in WAL mode) survives a process crash (<c>kill -9</c>); a power cut may lose the last
    /// commits, never the chain's integrity.
    /// </summary>
    public bool SyncEveryCommit { get; init; }

    /// <summary>Gets how long a read or write waits for a lock held by another connection before <see cref="PassportAuditLogErrorKind.Locked"/>.</summary>
    public TimeSpan BusyTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Gets a cap on the file's size in database pages (SQLite's <c>max_page_count</c>), or null for none. A log at its cap refuses writes (<see cref="PassportAuditLogErrorKind.Full"/>).</summary>
    public long? MaxPageCount { get; init; }
}
