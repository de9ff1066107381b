using System.Globalization;
using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;

namespace AgentPassport.Sqlite;

/// <summary>
/// An audit log in one SQLite file (WAL mode): table <c>audit_records(seq INTEGER PRIMARY KEY, record BLOB)</c>, marked
/// as a log by its <c>application_id</c>. One writer at a time holds the file (a lock file beside it, released when the
/// process ends, even by <c>kill -9</c>); any number of readers may verify or tail it meanwhile. Each batch is one
/// transaction, so a crash keeps every committed record and none of a half-written batch.
/// </summary>
public sealed class SqlitePassportAuditLogStore : IPassportAuditLogStore, IDisposable
{
    /// <summary>The <c>application_id</c> that marks a SQLite file as an Agent Passport audit log ("APLG").</summary>
    public const int ApplicationId = 0x41504C47;

    private readonly SqliteConnection? _writer;
    private readonly FileStream? _writerLock;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly string _readConnectionString;

    private SqlitePassportAuditLogStore(string path, SqliteConnection? writer, FileStream? writerLock, string readConnectionString)
    {
        Path = path;
        _writer = writer;
        _writerLock = writerLock;
        _readConnectionString = readConnectionString;
    }

    /// <summary>Gets the log file's path.</summary>
    public string Path { get; }

    /// <summary>Opens (or, for a writer, creates) the log at <paramref name="path"/>.</summary>
    /// <param name="path">The SQLite file.</param>
    /// <param name="options">Read-only or writer, durability, limits; null for a writer with the defaults.</param>
    /// <returns>The store.</returns>
    /// <exception cref="PassportAuditLogException">
    /// The file is not a log (<see cref="PassportAuditLogErrorKind.NotALog"/>, also for a reader of a missing file), another
    /// writer holds it (<see cref="PassportAuditLogErrorKind.Locked"/>), it is read-only (<see cref="PassportAuditLogErrorKind.ReadOnly"/>),
    /// or it could not be opened.
    /// </exception>
    public static SqlitePassportAuditLogStore Open(string path, SqlitePassportAuditLogStoreOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        options ??= new();
        path = System.IO.Path.GetFullPath(path);
        var builder = new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Pooling = false,
            DefaultTimeout = (int)Math.Ceiling(options.BusyTimeout.TotalSeconds),
        };
        builder.Mode = SqliteOpenMode.ReadOnly;
        string readOnly = builder.ToString();
        if (options.ReadOnly)
        {
            if (!File.Exists(path))
            {
                throw new PassportAuditLogException(PassportAuditLogErrorKind.NotALog, $"There is no audit log at '{path}'.");
            }

            using var probe = Connect(readOnly, path, options);
            CheckIsLog(probe, path, create: false);
            return new SqlitePassportAuditLogStore(path, null, null, readOnly);
        }

        if (File.Exists(path) && (OperatingSystem.IsWindows()
            ? File.GetAttributes(path).HasFlag(FileAttributes.ReadOnly)
            : (File.GetUnixFileMode(path) & UnixFileMode.UserWrite) == 0))
        {
            throw new PassportAuditLogException(PassportAuditLogErrorKind.ReadOnly, $"The audit log '{path}' is read-only (its mode denies writing); open it read-only to verify it, or make it writable to append.");
        }

        var writerLock = TakeWriterLock(path);
        SqliteConnection? writer = null;
        try
        {
            builder.Mode = SqliteOpenMode.ReadWriteCreate;
            writer = Connect(builder.ToString(), path, options);
            CheckIsLog(writer, path, create: true);
            Execute(writer, path, "PRAGMA journal_mode=WAL;");
            Execute(writer, path, options.SyncEveryCommit ? "PRAGMA synchronous=FULL;" : "PRAGMA synchronous=NORMAL;");
            if (options.MaxPageCount is long pages)
            {
                Execute(writer, path, $"PRAGMA max_page_count={pages.ToString(CultureInfo.InvariantCulture)};");
            }

            return new SqlitePassportAuditLogStore(path, writer, writerLock, readOnly);
        }
        catch
        {
            writer?.Dispose();
            writerLock.Dispose();
            throw;
        }
    }

    /// <inheritdoc />
    public async ValueTask AppendAsync(IReadOnlyList<PassportAuditLogRecord> records, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(records);
        var connection = _writer ?? throw new PassportAuditLogException(PassportAuditLogErrorKind.ReadOnly, $"The audit log '{Path}' was opened read-only.");
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            using var transaction = connection.BeginTransaction();
            using var insert = connection.CreateCommand();
            insert.Transaction = transaction;
            insert.CommandText = "INSERT INTO audit_records (seq, record) VALUES ($seq, $record);";
            var seq = insert.Parameters.Add("$seq", SqliteType.Integer);
            var record = insert.Parameters.Add("$record", SqliteType.Blob);
            foreach (var r in records)
            {
                seq.Value = r.Seq;
                record.Value = r.Bytes.ToArray();
                insert.ExecuteNonQuery();
            }

            transaction.Commit();
        }
        catch (SqliteException ex)
        {
            throw SqliteAuditErrors.Map(ex, Path);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <inheritdoc />
    public ValueTask<PassportAuditLogRecord?> ReadLastAsync(CancellationToken cancellationToken = default)
    {
        try
        {
            using var connection = Connect(_readConnectionString, Path, null);
            using var command = connection.CreateCommand();
            command.CommandText = "SELECT seq, record FROM audit_records ORDER BY seq DESC LIMIT 1;";
            using var reader = command.ExecuteReader();
            return ValueTask.FromResult(reader.Read() ? Record(reader) : null);
        }
        catch (SqliteException ex)
        {
            throw SqliteAuditErrors.Map(ex, Path);
        }
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<PassportAuditLogRecord> ReadAsync(long fromSeq = 1, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await Task.Yield();
        using var connection = Connect(_readConnectionString, Path, null);
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT seq, record FROM audit_records WHERE seq >= $from ORDER BY seq;";
        command.Parameters.AddWithValue("$from", fromSeq);
        SqliteDataReader reader;
        try
        {
            reader = command.ExecuteReader();
        }
        catch (SqliteException ex)
        {
            throw SqliteAuditErrors.Map(ex, Path);
        }

        using (reader)
        {
            while (true)
            {
                cancellationToken.ThrowIfCancellationRequested();
                PassportAuditLogRecord? next;
                try
                {
                    next = reader.Read() ? Record(reader) : null;
                }
                catch (SqliteException ex)
                {
                    throw SqliteAuditErrors.Map(ex, Path);
                }

                if (next is null)
                {
                    yield break;
                }

                yield return next;
            }
        }
    }

    /// <summary>Closes the file and releases the writer lock.</summary>
    public void Dispose()
    {
        _writer?.Dispose();
        _writerLock?.Dispose();
        _gate.Dispose();
    }

    // A row edited behind the writer's back may hold text, a number or NULL: it is read as bytes (or none), and the
    // verifier names it, rather than a cast failing.
    private static PassportAuditLogRecord Record(SqliteDataReader reader) => new(reader.GetInt64(0), reader.GetValue(1) switch
    {
        byte[] bytes => bytes,
        string text => System.Text.Encoding.UTF8.GetBytes(text),
        _ => Array.Empty<byte>(),
    });

    private static FileStream TakeWriterLock(string path)
    {
        try
        {
            var options = new FileStreamOptions { Mode = FileMode.OpenOrCreate, Access = FileAccess.ReadWrite, Share = FileShare.None };
            if (!OperatingSystem.IsWindows())
            {
                options.UnixCreateMode = OwnerOnlyFiles.PrivateFileMode;
            }

            return new FileStream(path + ".writer-lock", options);
        }
        catch (IOException ex)
        {
            throw new PassportAuditLogException(PassportAuditLogErrorKind.Locked, $"Another writer holds the audit log '{path}'; one process writes a log at a time (give each process its own log and join them with 'audit tree').", ex);
        }
        catch (UnauthorizedAccessException ex)
        {
            throw new PassportAuditLogException(PassportAuditLogErrorKind.ReadOnly, $"The audit log's directory is not writable ('{path}').", ex);
        }
    }

    private static SqliteConnection Connect(string connectionString, string path, SqlitePassportAuditLogStoreOptions? options)
    {
        var connection = new SqliteConnection(connectionString);
        try
        {
            connection.Open();
            if (options is not null)
            {
                Execute(connection, path, $"PRAGMA busy_timeout={((long)options.BusyTimeout.TotalMilliseconds).ToString(CultureInfo.InvariantCulture)};");
            }

            return connection;
        }
        catch (SqliteException ex)
        {
            connection.Dispose();
            throw SqliteAuditErrors.Map(ex, path);
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    private static void CheckIsLog(SqliteConnection connection, string path, bool create)
    {
        long appId = Scalar(connection, path, "PRAGMA application_id;");
        if (appId == ApplicationId)
        {
            return;
        }

        long tables = Scalar(connection, path, "SELECT count(*) FROM sqlite_master;");
        if (appId != 0 || tables != 0 || !create)
        {
            throw new PassportAuditLogException(PassportAuditLogErrorKind.NotALog, $"'{path}' is a SQLite database but not an Agent Passport audit log.");
        }

        Execute(connection, path, $"""
            BEGIN IMMEDIATE;
            CREATE TABLE audit_records (seq INTEGER PRIMARY KEY, record BLOB NOT NULL);
            PRAGMA application_id={ApplicationId.ToString(CultureInfo.InvariantCulture)};
            COMMIT;
            """);
    }

    private static long Scalar(SqliteConnection connection, string path, string sql)
    {
        try
        {
            using var command = connection.CreateCommand();
            command.CommandText = sql;
            return Convert.ToInt64(command.ExecuteScalar(), CultureInfo.InvariantCulture);
        }
        catch (SqliteException ex)
        {
            throw SqliteAuditErrors.Map(ex, path);
        }
    }

    private static void Execute(SqliteConnection connection, string path, string sql)
    {
        try
        {
            using var command = connection.CreateCommand();
            command.CommandText = sql;
            command.ExecuteNonQuery();
        }
        catch (SqliteException ex)
        {
            throw SqliteAuditErrors.Map(ex, path);
        }
    }
}
