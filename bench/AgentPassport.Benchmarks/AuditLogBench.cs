using System.Diagnostics;
using System.Text.Json.Nodes;
using AgentPassport.SemanticKernel;
using AgentPassport.Sqlite;
using Microsoft.Data.Sqlite;
using Microsoft.SemanticKernel;

namespace AgentPassport.Benchmarks;

/// <summary>
/// The audit log's figures (spec v1.1 §14), measured once after the quick rounds: the SK plugin's per-call cost with the
/// SQLite log against the in-memory sink, the log's sustained append rate next to raw SQLite inserts on the same disk,
/// and <c>audit verify</c>'s throughput. Wall clock: the log's writer works on another thread.
/// </summary>
public static class AuditLogBench
{
    public static JsonObject Measure(BenchFixture fx, SkFixture sk, int calls = 20_000)
    {
        string dir = Path.Combine(Path.GetTempPath(), "agent-passport-bench-audit-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        try
        {
            using var key = PassportSigningKey.Generate();
            double memoryUs = PerCall(fx, sk, new InMemoryPassportAuditSink(), calls);
            double queuedUs, durableUs, appendPerSecond, verifyPerSecond;
            long records;
            var options = new PassportAuditLogOptions { SigningKey = key, WaitForWrite = false };
            {
                var log = SqlitePassportAuditLog.OpenAsync(Path.Combine(dir, "queued.db"), options).AsTask().GetAwaiter().GetResult();
                queuedUs = PerCall(fx, sk, log, calls, () => log.DisposeAsync().AsTask().GetAwaiter().GetResult());
            }

            {
                var log = SqlitePassportAuditLog.OpenAsync(Path.Combine(dir, "durable.db"), options with { WaitForWrite = true }).AsTask().GetAwaiter().GetResult();
                durableUs = PerCall(fx, sk, log, calls / 10, () => log.DisposeAsync().AsTask().GetAwaiter().GetResult());
            }

            // Sustained append: 8 writers, each awaiting its own events (the default, fail-closed mode).
            string appendPath = Path.Combine(dir, "append.db");
            var sample = new PassportAuditEvent { Kind = PassportAuditEventKind.Allowed, Timestamp = DateTimeOffset.UtcNow, ClaimsVerified = true, AgentId = "agent:bench", Principal = "user-bench", TokenId = Guid.NewGuid().ToString(), ToolName = "flights.book", RequiredScope = "flights:book", Scopes = ["flights:book"] };
            int perWriter = calls / 2;
            var append = Stopwatch.StartNew();
            {
                var log = SqlitePassportAuditLog.OpenAsync(appendPath, options with { WaitForWrite = true }).AsTask().GetAwaiter().GetResult();
                Task.WaitAll([.. Enumerable.Range(0, 8).Select(_ => Task.Run(async () =>
                {
                    await Parallel.ForEachAsync(Enumerable.Range(0, perWriter), new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (_, ct) => await log.WriteAsync(sample, ct));
                }))]);
                log.DisposeAsync().AsTask().GetAwaiter().GetResult();
            }

            appendPerSecond = 8.0 * perWriter / append.Elapsed.TotalSeconds;
            double rawPerSecond = RawInserts(Path.Combine(dir, "raw.db"), 8 * perWriter, AverageRecordBytes(appendPath));

            var verify = Stopwatch.StartNew();
            var result = SqlitePassportAuditLog.VerifyAsync(appendPath, new() { Keys = [key.PublicKey], RequireSealed = true }).AsTask().GetAwaiter().GetResult();
            verifyPerSecond = result.VerifiedRecords / verify.Elapsed.TotalSeconds;
            records = result.VerifiedRecords;
            if (result.Fault != PassportAuditLogFault.None)
            {
                throw new InvalidOperationException("the bench log did not verify: " + result.Message);
            }

            return new JsonObject
            {
                ["sk_plugin_in_memory_sink_us"] = Math.Round(memoryUs, 3),
                ["sk_plugin_sqlite_queued_us"] = Math.Round(queuedUs, 3),
                ["sk_plugin_sqlite_durable_sequential_us"] = Math.Round(durableUs, 3),
                ["append_events_per_second_8_writers_durable"] = Math.Round(appendPerSecond),
                ["raw_sqlite_inserts_per_second_512_per_transaction"] = Math.Round(rawPerSecond),
                ["verify_records_per_second"] = Math.Round(verifyPerSecond),
                ["verified_records"] = records,
            };
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(dir, recursive: true);
        }
    }

    private static double PerCall(BenchFixture fx, SkFixture sk, IPassportAuditSink sink, int calls, Action? drain = null)
    {
        var authorizer = new PassportAuthorizer(sk.Verifier, new PassportAuthorizerOptions { Policy = BenchFixture.PolicyFor(3) }, sink);
        var kernel = new Kernel();
        kernel.Plugins.Add(KernelPluginFactory.CreateFromFunctions("flights", [sk.Function]));
        kernel.UseAgentPassport(authorizer, new PassportContext(fx.FreshLeaves[3][0], [fx.Chain[0].Token, fx.Chain[1].Token]));
        for (int i = 0; i < 200; i++)
        {
            sk.Invoke(kernel);
        }

        var watch = Stopwatch.StartNew();
        for (int i = 0; i < calls; i++)
        {
            sk.Invoke(kernel);
        }

        drain?.Invoke(); // amortized: the time to write what is still queued counts
        return watch.Elapsed.TotalMicroseconds / calls;
    }

    private static int AverageRecordBytes(string path)
    {
        using var connection = new SqliteConnection($"Data Source={path};Mode=ReadOnly;Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT avg(length(record)) FROM audit_records";
        return Convert.ToInt32(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
    }

    private static double RawInserts(string path, int rows, int bytes)
    {
        using var connection = new SqliteConnection($"Data Source={path};Pooling=False");
        connection.Open();
        using (var setup = connection.CreateCommand())
        {
            setup.CommandText = "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; CREATE TABLE t (seq INTEGER PRIMARY KEY, record BLOB NOT NULL);";
            setup.ExecuteNonQuery();
        }

        var payload = new byte[bytes];
        var watch = Stopwatch.StartNew();
        for (int done = 0; done < rows;)
        {
            using var transaction = connection.BeginTransaction();
            using var insert = connection.CreateCommand();
            insert.Transaction = transaction;
            insert.CommandText = "INSERT INTO t (seq, record) VALUES ($s, $r)";
            var s = insert.Parameters.Add("$s", SqliteType.Integer);
            var r = insert.Parameters.Add("$r", SqliteType.Blob);
            for (int i = 0; i < 512 && done < rows; i++, done++)
            {
                s.Value = done + 1;
                r.Value = payload;
                insert.ExecuteNonQuery();
            }

            transaction.Commit();
        }

        return rows / watch.Elapsed.TotalSeconds;
    }
}
