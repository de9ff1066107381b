using Microsoft.Data.Sqlite;

namespace AgentPassport.Sqlite;

/// <summary>Turns SQLite's result codes into the typed <see cref="PassportAuditLogException"/> kinds.</summary>
internal static class SqliteAuditErrors
{
    private const int Busy = 5, Locked = 6, ReadOnly = 8, IoErr = 10, Corrupt = 11, Full = 13, CantOpen = 14, NotADb = 26;

    public static PassportAuditLogException Map(SqliteException ex, string path) => (ex.SqliteErrorCode & 0xFF) switch
    {
        Busy or Locked => new(PassportAuditLogErrorKind.Locked, $"The audit log '{path}' is locked by another connection.", ex),
        ReadOnly => new(PassportAuditLogErrorKind.ReadOnly, $"The audit log '{path}' is read-only.", ex),
        Full => new(PassportAuditLogErrorKind.Full, $"The audit log '{path}' is full (the disk, or its size limit).", ex),
        NotADb or Corrupt => new(PassportAuditLogErrorKind.NotALog, $"'{path}' is not an Agent Passport audit log.", ex),
        CantOpen => new(PassportAuditLogErrorKind.StorageFailed, $"The audit log '{path}' cannot be opened (a missing directory or no permission).", ex),
        IoErr => new(PassportAuditLogErrorKind.StorageFailed, $"The audit log '{path}' could not be read or written (I/O error).", ex),
        _ => new(PassportAuditLogErrorKind.StorageFailed, $"The audit log '{path}' failed (SQLite error {ex.SqliteErrorCode}).", ex),
    };
}
