using System.Text;
using Microsoft.Data.Sqlite;

namespace AgentPassport.Sqlite.Tests;

/// <summary>A temporary directory with a log, its key, and raw SQL access to edit the file as an attacker could.</summary>
internal sealed class SqliteLogFixture : IDisposable
{
    public static readonly DateTimeOffset Start = new(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);

    public SqliteLogFixture()
    {
        Directory.CreateDirectory(Dir);
        Key = PassportAuditLogKey.LoadOrCreate(KeyPath);
    }

    public string Dir { get; } = Path.Combine(Path.GetTempPath(), "ap-sqlite-" + Guid.NewGuid().ToString("N"));

    public string LogPath => Path.Combine(Dir, "audit.db");

    public string KeyPath => Path.Combine(Dir, "log-key.pem");

    public PassportSigningKey Key { get; }

    public PassportAuditLogOptions Options(int every = 5) => new() { SigningKey = Key, CheckpointEvery = every };

    public static PassportAuditEvent Event(int i, string agent = "agent:a", PassportAuditEventKind kind = PassportAuditEventKind.Allowed) => new()
    {
        Kind = kind,
        Timestamp = Start.AddMilliseconds(i),
        ClaimsVerified = true,
        AgentId = agent,
        Principal = "user-alice",
        TokenId = "jti-root",
        ToolName = "tool_" + i,
        RequiredScope = "files:read",
    };

    /// <summary>12 events, a checkpoint after every 5: events 1-5, cp 6, events 7-11, cp 12, events 13-14, closing cp 15.</summary>
    public async Task WriteClosedLogAsync(int events = 12)
    {
        await using var log = await SqlitePassportAuditLog.OpenAsync(LogPath, Options());
        for (int i = 0; i < events; i++)
        {
            await log.WriteAsync(Event(i));
        }
    }

    public Task<PassportAuditLogVerification> VerifyAsync(bool requireSealed = false, bool keepEvents = false) =>
        SqlitePassportAuditLog.VerifyAsync(LogPath, new PassportAuditLogVerifierOptions { Keys = [Key.PublicKey], RequireSealed = requireSealed, KeepEvents = keepEvents }).AsTask();

    public void Sql(string sql, params (string Name, object Value)[] parameters)
    {
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = LogPath, Pooling = false }.ToString());
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        command.ExecuteNonQuery();
    }

    public string Record(long seq)
    {
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = LogPath, Pooling = false, Mode = SqliteOpenMode.ReadOnly }.ToString());
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT record FROM audit_records WHERE seq = $seq";
        command.Parameters.AddWithValue("$seq", seq);
        return Encoding.UTF8.GetString((byte[])command.ExecuteScalar()!);
    }

    public void SetRecord(long seq, string text) =>
        Sql("UPDATE audit_records SET record = $r WHERE seq = $seq", ("$r", Encoding.UTF8.GetBytes(text)), ("$seq", seq));

    public void Dispose()
    {
        Key.Dispose();
        SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(Dir, recursive: true);
        }
        catch (IOException)
        {
            // A temporary directory left behind is harmless.
        }
    }
}
