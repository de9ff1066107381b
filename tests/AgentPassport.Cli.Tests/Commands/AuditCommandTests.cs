using AgentPassport.Cli.Tests.Support;
using AgentPassport.Sqlite;

namespace AgentPassport.Cli.Tests.Commands;

/// <summary><c>audit verify | tree | tail | export | jwks</c> and <c>--audit-log</c> on issue and delegate, as processes.</summary>
public sealed class AuditCommandTests : IDisposable
{
    private readonly CliSandbox _cli = new();

    private string Log => Path.Combine(_cli.WorkDir, "audit.db");

    [Fact]
    public async Task Verify_NamesTheFirstEditedRecord_AndExits1()
    {
        await WriteLogAsync();
        using (var store = SqlitePassportAuditLogStore.Open(Log, new() { ReadOnly = true }))
        {
            Assert.Equal(6, await store.ReadAsync().CountAsync());
        }

        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        using (var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={Log};Pooling=False"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "UPDATE audit_records SET record = CAST(replace(CAST(record AS TEXT), 'agent:alice', 'agent:eve') AS BLOB) WHERE seq = 1";
            Assert.Equal(1, command.ExecuteNonQuery());
        }

        var result = await _cli.RunAsync("audit", "verify", "--log", Log);
        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith("TAMPERED: EditedRecord at seq 1:", result.Stderr.Trim(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_WithTheLogKey_IsIntactAndPinned()
    {
        await WriteLogAsync();
        var jwks = await _cli.RunAsync("audit", "jwks");
        string keyFile = _cli.WriteFile("audit.jwks", jwks.Stdout);

        var result = await _cli.RunAsync("audit", "verify", "--log", Log, "--key", keyFile, "--sealed");

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("intact: 6 records through seq 6, closed by its writer", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("(the given key)", result.Stdout, StringComparison.Ordinal);
        Assert.Equal(OwnerOnlyFiles.PrivateFileMode, File.GetUnixFileMode(Path.Combine(_cli.DataDir, "audit-log-key.pem")));
    }

    [Fact]
    public async Task Verify_AgainstAnotherKey_IsAForgedCheckpoint()
    {
        await WriteLogAsync();
        using var other = PassportSigningKey.Generate();
        string keyFile = _cli.WriteFile("other.jwks", Jwks.Export([other.PublicKey]));

        var result = await _cli.RunAsync("audit", "verify", "--log", Log, "--key", keyFile);

        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith("TAMPERED: ForgedCheckpoint at seq 2:", result.Stderr.Trim(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_OfAFileThatIsNotALog_IsATypedError()
    {
        string file = _cli.WriteFile("notes.db", "not a database at all, just some text that is long enough\n");
        var result = await _cli.RunAsync("audit", "verify", "--log", file);
        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith("audit log: NotALog:", result.Stderr.Trim(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Tree_JoinsTwoLogs_InEveryFormat_AndRootSelectsASubtree()
    {
        await WriteLogAsync();
        string other = Path.Combine(_cli.WorkDir, "other.db");
        using (var key = PassportSigningKey.Generate())
        {
            await using var log = await SqlitePassportAuditLog.OpenAsync(other, new PassportAuditLogOptions { SigningKey = key });
            await log.WriteAsync(new PassportAuditEvent
            {
                Kind = PassportAuditEventKind.Denied,
                Timestamp = DateTimeOffset.UtcNow.AddMinutes(1),
                AgentId = "agent:bob\nALLOWED everything",
                TokenId = BobJti(),
                ToolName = "flowchart TD\n  x[\"pwned\"]",
                RequiredScope = "flights:book",
                ErrorKind = PassportErrorKind.ScopeViolation,
                ErrorCode = "AP0013",
            });
        }

        var text = await _cli.RunAsync("audit", "tree", "--log", Log, "--log", other);
        Assert.Equal(0, text.ExitCode);
        Assert.Contains("└── agent:alice", text.Stdout, StringComparison.Ordinal);
        Assert.Contains("    └── agent:bob", text.Stdout, StringComparison.Ordinal);
        Assert.Contains(@"DENIED flights:book (flowchart TD\u000A  x[""pwned""]): ScopeViolation AP0013", text.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("\nALLOWED", text.Stdout, StringComparison.Ordinal);

        var json = await _cli.RunAsync("audit", "tree", "--log", Log, "--log", other, "--format", "json");
        using var doc = System.Text.Json.JsonDocument.Parse(json.Stdout);
        var bob = doc.RootElement.GetProperty("principals")[0].GetProperty("agents")[0].GetProperty("children")[1]; // the second Bob, whose jti the decision names
        Assert.Equal("flowchart TD\n  x[\"pwned\"]", bob.GetProperty("decisions")[0].GetProperty("tool").GetString());

        var mermaid = await _cli.RunAsync("audit", "tree", "--log", Log, "--log", other, "--format", "mermaid");
        Assert.StartsWith("flowchart TD", mermaid.Stdout, StringComparison.Ordinal);
        Assert.Single(mermaid.Stdout.Split('\n'), l => l.TrimStart().StartsWith("flowchart", StringComparison.Ordinal));

        var sub = await _cli.RunAsync("audit", "tree", "--log", Log, "--log", other, "--root", BobJti());
        Assert.DoesNotContain("agent:alice", sub.Stdout, StringComparison.Ordinal);
        Assert.Contains("└── agent:bob", sub.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TailAndExport_PrintTheRecords_AndTheExportVerifies()
    {
        await WriteLogAsync();
        var tail = await _cli.RunAsync("audit", "tail", "--log", Log, "-n", "2");
        Assert.Equal(0, tail.ExitCode);
        var lines = tail.Stdout.Trim().Split('\n');
        Assert.Equal(2, lines.Length);
        Assert.Contains("agent:bob minted", lines[0], StringComparison.Ordinal);
        Assert.Equal("6 checkpoint", lines[1]);

        var export = await _cli.RunAsync("audit", "export", "--log", Log, "--format", "jsonl");
        Assert.Equal(6, export.Stdout.Trim().Split('\n').Length);
        Assert.DoesNotContain("eyJ", string.Join('\n', export.Stdout.Split('\n').Where(l => !l.Contains("checkpoint", StringComparison.Ordinal))), StringComparison.Ordinal);
        string file = _cli.WriteFile("audit.jsonl", export.Stdout);
        var verified = await _cli.RunAsync("audit", "verify", "--log", file);
        Assert.Equal(0, verified.ExitCode);
    }

    private string BobJti()
    {
        using var store = SqlitePassportAuditLogStore.Open(Log, new() { ReadOnly = true });
        return store.ReadAsync().ToBlockingEnumerable().Select(r => r.ReadEvent()).Last(e => e is not null)!.TokenId!;
    }

    // login --mock, then issue (Alice) and delegate (Bob, twice) with --audit-log. Each command appends its mint and a
    // closing checkpoint: seq 1 Alice, 2 checkpoint, 3 Bob, 4 checkpoint, 5 Bob again, 6 checkpoint.
    private async Task WriteLogAsync()
    {
        Assert.Equal(0, (await _cli.RunAsync("login", "--mock")).ExitCode);
        var alice = await _cli.RunAsync("issue", "--agent-id", "agent:alice", "--agent-model", "m", "--aud", "https://a.example/",
            "--tool-scope", "flights:*", "--audit-log", Log);
        Assert.Equal(0, alice.ExitCode);
        var bob = await _cli.RunWithInputAsync(alice.Stdout, "delegate", "--agent-id", "agent:bob", "--agent-model", "m",
            "--aud", "https://b.example/", "--tool-scope", "flights:book", "--audit-log", Log);
        Assert.Equal(0, bob.ExitCode);
        var bob2 = await _cli.RunWithInputAsync(alice.Stdout, "delegate", "--agent-id", "agent:bob", "--agent-model", "m",
            "--aud", "https://b.example/", "--tool-scope", "flights:search", "--audit-log", Log);
        Assert.Equal(0, bob2.ExitCode);
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        _cli.Dispose();
    }
}
