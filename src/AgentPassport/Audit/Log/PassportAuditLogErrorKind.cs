namespace AgentPassport;

/// <summary>Why an audit log could not be opened, read or written.</summary>
public enum PassportAuditLogErrorKind
{
    /// <summary>The file exists but is not an Agent Passport audit log (another database, or not a database at all).</summary>
    NotALog = 1,

    /// <summary>Another writer holds the log, or a lock could not be taken in time.</summary>
    Locked = 2,

    /// <summary>The log cannot be written: a read-only file, directory or mount.</summary>
    ReadOnly = 3,

    /// <summary>The disk (or the log's configured size limit) is full.</summary>
    Full = 4,

    /// <summary>Any other storage failure.</summary>
    StorageFailed = 5,

    /// <summary>The writer's queue is full and the log is configured to refuse rather than wait.</summary>
    QueueFull = 6,

    /// <summary>The log was closed, or an earlier write failed and it refuses every later event (fail closed).</summary>
    Closed = 7,
}
