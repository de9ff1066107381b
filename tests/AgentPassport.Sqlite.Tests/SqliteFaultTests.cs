using AgentPassport.TestSupport.Adapters;
using Microsoft.Data.Sqlite;

namespace AgentPassport.Sqlite.Tests;

/// <summary>A file that is not a log, a locked, read-only or full log: a typed error, and decisions fail closed.</summary>
public sealed class SqliteFaultTests : IDisposable
{
    private readonly SqliteLogFixture _f = new();

    [Fact]
    public async Task A_text_file_is_not_a_log()
    {
        await File.WriteAllTextAsync(_f.LogPath, "this is not a database, it is a text file that is long enough to have a header\n");
        var ex = await Assert.ThrowsAsync<PassportAuditLogException>(async () => await SqlitePassportAuditLog.OpenAsync(_f.LogPath, _f.Options()));
        Assert.Equal(PassportAuditLogErrorKind.NotALog, ex.Kind);
        var read = await Assert.ThrowsAsync<PassportAuditLogException>(async () => await SqlitePassportAuditLog.VerifyAsync(_f.LogPath));
        Assert.Equal(PassportAuditLogErrorKind.NotALog, read.Kind);
    }

    [Fact]
    public async Task Another_sqlite_database_is_not_a_log()
    {
        _f.Sql("CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT)");
        var ex = await Assert.ThrowsAsync<PassportAuditLogException>(async () => await SqlitePassportAuditLog.OpenAsync(_f.LogPath, _f.Options()));
        Assert.Equal(PassportAuditLogErrorKind.NotALog, ex.Kind);
    }

    [Fact]
    public async Task A_missing_log_is_reported_to_a_reader()
    {
        var ex = await Assert.ThrowsAsync<PassportAuditLogException>(async () => await SqlitePassportAuditLog.VerifyAsync(_f.LogPath));
        Assert.Equal(PassportAuditLogErrorKind.NotALog, ex.Kind);
    }

    [Fact]
    public async Task A_second_writer_is_refused_as_locked_while_readers_may_read()
    {
        await using var first = await SqlitePassportAuditLog.OpenAsync(_f.LogPath, _f.Options());
        await first.WriteAsync(SqliteLogFixture.Event(1));
        var ex = await Assert.ThrowsAsync<PassportAuditLogException>(async () => await SqlitePassportAuditLog.OpenAsync(_f.LogPath, _f.Options()));
        Assert.Equal(PassportAuditLogErrorKind.Locked, ex.Kind);
        var result = await _f.VerifyAsync();
        Assert.Equal(1, result.VerifiedEvents);
    }

    [Fact]
    public async Task A_database_locked_by_another_connection_is_a_typed_locked_error()
    {
        await _f.WriteClosedLogAsync(1);
        using var holder = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = _f.LogPath, Pooling = false }.ToString());
        holder.Open();
        using (var exclusive = holder.CreateCommand())
        {
            exclusive.CommandText = "PRAGMA journal_mode=DELETE; BEGIN EXCLUSIVE; INSERT INTO audit_records VALUES (99, x'00');";
            exclusive.ExecuteNonQuery();
        }

        var ex = await Assert.ThrowsAsync<PassportAuditLogException>(async () =>
            await SqlitePassportAuditLog.OpenAsync(_f.LogPath, _f.Options(), new SqlitePassportAuditLogStoreOptions { BusyTimeout = TimeSpan.FromMilliseconds(100) }));
        Assert.Equal(PassportAuditLogErrorKind.Locked, ex.Kind);
    }

    [Fact]
    public async Task A_read_only_log_is_refused_for_writing_and_still_verifies()
    {
        await _f.WriteClosedLogAsync(3);
        if (OperatingSystem.IsWindows())
        {
            File.SetAttributes(_f.LogPath, FileAttributes.ReadOnly);
        }
        else
        {
            File.SetUnixFileMode(_f.LogPath, UnixFileMode.UserRead); // by mode, so it holds even for root
        }

        var ex = await Assert.ThrowsAsync<PassportAuditLogException>(async () => await SqlitePassportAuditLog.OpenAsync(_f.LogPath, _f.Options()));
        Assert.Equal(PassportAuditLogErrorKind.ReadOnly, ex.Kind);
        Assert.Equal(PassportAuditLogFault.None, (await _f.VerifyAsync(requireSealed: true)).Fault);
    }

    [Fact]
    public async Task A_full_log_fails_the_decision_closed_and_keeps_what_it_wrote_verifiable()
    {
        using var passports = new PassportFixture();
        var (alice, _, _) = await passports.AliceBobCarolAsync();
        var log = await SqlitePassportAuditLog.OpenAsync(_f.LogPath, _f.Options(every: 1000), new SqlitePassportAuditLogStoreOptions { MaxPageCount = 8 });
        var authorizer = new PassportAuthorizer(passports.Verifier,
            new PassportAuthorizerOptions { Policy = new VerificationPolicy(PassportFixture.IssuerUrl, PassportFixture.ToolsAudience) }, log, passports.Time);

        int ran = 0;
        PassportAuditLogException? failure = null;
        for (int i = 0; i < 10_000 && failure is null; i++)
        {
            try
            {
                var decision = await authorizer.AuthorizeAsync(alice, "book_flight", "flights:book");
                if (decision.IsAllowed)
                {
                    ran++; // the tool body would run here
                }
            }
            catch (PassportAuditLogException ex)
            {
                failure = ex;
            }
        }

        Assert.NotNull(failure);
        Assert.Equal(PassportAuditLogErrorKind.Full, failure!.Kind);
        var after = await Assert.ThrowsAsync<PassportAuditLogException>(async () => await authorizer.AuthorizeAsync(alice, "book_flight", "flights:book"));
        Assert.Equal(PassportAuditLogErrorKind.Closed, after.Kind);
        await log.DisposeAsync();

        // Every decision that ran is in the log, and the log verifies (unsealed: the closing checkpoint did not fit).
        var result = await _f.VerifyAsync();
        Assert.Equal(PassportAuditLogFault.None, result.Fault);
        Assert.Equal(ran, result.VerifiedEvents);
    }

    public void Dispose() => _f.Dispose();
}
