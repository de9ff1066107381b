using AgentPassport.Sqlite;

namespace AgentPassport.Samples;

/// <summary>
/// The samples' audit: every event goes to a SQLite audit log (hash-chained, checkpoints signed by the log's own key)
/// and to an in-memory sink the sample reads for its live output. At the end the log is closed, verified against its
/// key, and the delegation tree is read back from it.
/// </summary>
internal sealed class SampleAuditLog : IPassportAuditSink, IAsyncDisposable
{
    private readonly PassportAuditLog _log;
    private readonly PassportSigningKey _key;

    private SampleAuditLog(PassportAuditLog log, PassportSigningKey key, string path)
    {
        _log = log;
        _key = key;
        LogPath = path;
    }

    /// <summary>Gets the events in memory, for the sample's live output.</summary>
    public InMemoryPassportAuditSink Memory { get; } = new();

    /// <summary>Gets the SQLite file.</summary>
    public string LogPath { get; }

    /// <summary>Opens a fresh log (and its 0600 key) in a new folder under the temp directory.</summary>
    public static async Task<SampleAuditLog> OpenAsync(string sample)
    {
        string dir = Path.Combine(Path.GetTempPath(), "agent-passport-samples", $"{sample}-{Guid.NewGuid():N}");
        OwnerOnlyFiles.CreateDirectory(dir);
        var key = PassportAuditLogKey.LoadOrCreate(Path.Combine(dir, "audit-log-key.pem"));
        string path = Path.Combine(dir, "audit.db");
        var log = await SqlitePassportAuditLog.OpenAsync(path, new PassportAuditLogOptions { SigningKey = key });
        return new SampleAuditLog(log, key, path);
    }

    public async ValueTask WriteAsync(PassportAuditEvent auditEvent, CancellationToken cancellationToken = default)
    {
        await _log.WriteAsync(auditEvent, cancellationToken); // durable first: a decision that cannot be logged fails
        await Memory.WriteAsync(auditEvent, cancellationToken);
    }

    /// <summary>Closes the log, verifies it against its key (sealed) and returns the tree read back from it.</summary>
    public async Task<(PassportAuditLogVerification Verification, DelegationTree Tree)> CloseAndReadBackAsync()
    {
        await _log.DisposeAsync();
        var verification = await SqlitePassportAuditLog.VerifyAsync(LogPath,
            new PassportAuditLogVerifierOptions { Keys = [_key.PublicKey], RequireSealed = true, KeepEvents = true });
        if (!verification.IsIntact || verification.Fault != PassportAuditLogFault.None)
        {
            throw new InvalidOperationException($"The audit log {LogPath} did not verify: {verification.Message}");
        }

        return (verification, DelegationTree.Build([verification]));
    }

    public async ValueTask DisposeAsync()
    {
        await _log.DisposeAsync();
        _key.Dispose();
    }
}
