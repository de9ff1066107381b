using System.Text;
using AgentPassport.Sqlite;

namespace AgentPassport.Cli;

/// <summary>
/// The CLI's audit log: <c>--audit-log FILE</c> on <c>issue</c> and <c>delegate</c> appends their mint events to a SQLite
/// log signed by the CLI's own log key (<c>audit-log-key.pem</c> in the data directory, 0600; never the issuer's key).
/// Logs are read read-only; a <c>.jsonl</c> file is an export (<c>audit export</c>), one record per line.
/// </summary>
internal static class CliAuditLog
{
    public static string KeyPath => Path.Combine(DataDirectory.Path, "audit-log-key.pem");

    public static PassportSigningKey OpenKey()
    {
        DataDirectory.Ensure();
        return PassportAuditLogKey.LoadOrCreate(KeyPath);
    }

    /// <summary>Appends <paramref name="auditEvent"/> and closes the log (with its closing checkpoint).</summary>
    public static async Task AppendAsync(string path, PassportAuditEvent auditEvent, CancellationToken ct)
    {
        using var key = OpenKey();
        try
        {
            var log = await SqlitePassportAuditLog.OpenAsync(path, new PassportAuditLogOptions { SigningKey = key }, cancellationToken: ct).ConfigureAwait(false);
            await using (log.ConfigureAwait(false))
            {
                await log.WriteAsync(auditEvent, ct).ConfigureAwait(false);
            }
        }
        catch (PassportAuditLogException ex)
        {
            throw new CliFailure($"audit log: {ex.Kind}: {ex.Message}");
        }
    }

    public static async Task<List<PassportAuditLogRecord>> ReadAsync(string path, CancellationToken ct)
    {
        try
        {
            if (path.EndsWith(".jsonl", StringComparison.OrdinalIgnoreCase))
            {
                if (!File.Exists(path))
                {
                    throw new CliFailure($"audit log: NotALog: there is no export at '{path}'.");
                }

                var lines = await File.ReadAllLinesAsync(path, ct).ConfigureAwait(false);
                return [.. lines.Where(l => l.Length > 0).Select((l, i) => new PassportAuditLogRecord(i + 1, Encoding.UTF8.GetBytes(l)))];
            }

            using var store = SqlitePassportAuditLogStore.Open(path, new SqlitePassportAuditLogStoreOptions { ReadOnly = true });
            var records = new List<PassportAuditLogRecord>();
            await foreach (var record in store.ReadAsync(1, ct).ConfigureAwait(false))
            {
                records.Add(record);
            }

            return records;
        }
        catch (PassportAuditLogException ex)
        {
            throw new CliFailure($"audit log: {ex.Kind}: {ex.Message}");
        }
    }

    public static async Task<IReadOnlyList<PassportVerificationKey>?> ReadKeysAsync(string? jwksPath, CancellationToken ct)
    {
        if (jwksPath is null)
        {
            return null;
        }

        if (!File.Exists(jwksPath))
        {
            throw new UsageException($"--key: no such file '{jwksPath}' (give the log key's JWKS, from 'agent-passport audit jwks').");
        }

        try
        {
            return Jwks.Import(await File.ReadAllTextAsync(jwksPath, ct).ConfigureAwait(false));
        }
        catch (FormatException ex)
        {
            throw new CliFailure($"could not read the JWKS from {jwksPath}: {ex.Message}");
        }
    }
}
