namespace AgentPassport.Sqlite;

/// <summary>Opens a <see cref="PassportAuditLog"/> that writes to a SQLite file and owns it.</summary>
public static class SqlitePassportAuditLog
{
    /// <summary>Opens (or creates) the log at <paramref name="path"/> for writing; dispose the result to close it with a closing checkpoint.</summary>
    /// <param name="path">The SQLite file.</param>
    /// <param name="options">The log's key and settings.</param>
    /// <param name="storeOptions">The file's settings; null for the defaults.</param>
    /// <param name="cancellationToken">Cancels the open.</param>
    /// <returns>The log, an <see cref="IPassportAuditSink"/>.</returns>
    /// <exception cref="PassportAuditLogException">The file is not a log, is locked by another writer, or is read-only.</exception>
    public static async ValueTask<PassportAuditLog> OpenAsync(string path, PassportAuditLogOptions options, SqlitePassportAuditLogStoreOptions? storeOptions = null, CancellationToken cancellationToken = default)
    {
        if (storeOptions?.ReadOnly == true)
        {
            throw new InvalidOperationException("A log opened for writing cannot use a read-only store; use SqlitePassportAuditLogStore.Open with ReadOnly to read one.");
        }

        var store = SqlitePassportAuditLogStore.Open(path, storeOptions);
        try
        {
            return await PassportAuditLog.OpenAsync(store, options, ownsStore: true, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            store.Dispose();
            throw;
        }
    }

    /// <summary>Verifies the log at <paramref name="path"/>, read-only (it may be in use by its writer).</summary>
    /// <param name="path">The SQLite file.</param>
    /// <param name="options">The keys and requirements; null for the defaults.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The verification.</returns>
    /// <exception cref="PassportAuditLogException">The file is missing, not a log, or unreadable.</exception>
    public static async ValueTask<PassportAuditLogVerification> VerifyAsync(string path, PassportAuditLogVerifierOptions? options = null, CancellationToken cancellationToken = default)
    {
        using var store = SqlitePassportAuditLogStore.Open(path, new SqlitePassportAuditLogStoreOptions { ReadOnly = true });
        return await PassportAuditLogVerifier.VerifyAsync(store, options, cancellationToken).ConfigureAwait(false);
    }
}
