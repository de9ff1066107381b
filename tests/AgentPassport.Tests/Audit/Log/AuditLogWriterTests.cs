using static AgentPassport.Tests.Audit.Log.AuditLogFixture;

namespace AgentPassport.Tests.Audit.Log;

public sealed class AuditLogWriterTests
{
    private static readonly PassportSigningKey Key = PassportSigningKey.Generate();

    [Fact]
    public async Task Events_read_back_equal_what_was_written()
    {
        var store = await WriteAsync(Key, 4);
        var result = PassportAuditLogVerifier.Verify(store.Records, new() { Keys = [Key.PublicKey], KeepEvents = true });
        Assert.Equal(4, result.Events.Count);
        for (int i = 0; i < 4; i++)
        {
            Assert.Equal(Event(i, i == 0 ? PassportAuditEventKind.Minted : PassportAuditEventKind.Allowed) with { Scopes = result.Events[i].Scopes }, result.Events[i]);
            Assert.Equal(["tool:read"], result.Events[i].Scopes);
        }
    }

    [Fact]
    public async Task The_proof_receipt_and_minted_constraints_are_kept_in_the_durable_record()
    {
        var store = new InMemoryPassportAuditLogStore();
        var log = await PassportAuditLog.OpenAsync(store, Options(Key));
        var minted = Event(0, PassportAuditEventKind.Minted) with { Constraints = """{"flights:book":{"amount":{"max":500}}}""" };
        var allowed = Event(1) with { ProofId = "proof-jti-1", HolderThumbprint = "NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs" };
        await log.WriteAsync(minted);
        await log.WriteAsync(allowed);
        await log.DisposeAsync();

        var events = PassportAuditLogVerifier.Verify(store.Records, new() { Keys = [Key.PublicKey], KeepEvents = true }).Events;

        Assert.Equal(minted.Constraints, events[0].Constraints);
        Assert.Equal(("proof-jti-1", allowed.HolderThumbprint), (events[1].ProofId, events[1].HolderThumbprint));
    }

    [Fact]
    public async Task A_pseudonymized_log_names_no_principal_but_keeps_one_pseudonym_per_principal()
    {
        var store = new InMemoryPassportAuditLogStore();
        var log = await PassportAuditLog.OpenAsync(store, Options(Key) with { SubjectPseudonymKey = new byte[32] });
        await log.WriteAsync(Event(1));
        await log.WriteAsync(Event(2));
        await log.DisposeAsync();
        var all = string.Concat(store.Records.Select(Text));
        Assert.DoesNotContain("alice", all, StringComparison.Ordinal);
        var events = PassportAuditLogVerifier.Verify(store.Records, new() { KeepEvents = true }).Events;
        Assert.StartsWith("hmac-sha256:", events[0].Principal, StringComparison.Ordinal);
        Assert.Equal(events[0].Principal, events[1].Principal);
    }

    [Fact]
    public async Task A_short_pseudonym_key_is_refused_at_setup()
    {
        var ex = await Assert.ThrowsAsync<InvalidOperationException>(async () =>
            await PassportAuditLog.OpenAsync(new InMemoryPassportAuditLogStore(), Options(Key) with { SubjectPseudonymKey = new byte[8] }));
        Assert.Contains("32", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_failed_write_fails_the_decision_and_closes_the_log()
    {
        var store = new FailingStore();
        var log = await PassportAuditLog.OpenAsync(store, Options(Key));
        var first = await Assert.ThrowsAsync<PassportAuditLogException>(async () => await log.WriteAsync(Event(1)));
        Assert.Equal(PassportAuditLogErrorKind.Full, first.Kind);
        var next = await Assert.ThrowsAsync<PassportAuditLogException>(async () => await log.WriteAsync(Event(2)));
        Assert.Equal(PassportAuditLogErrorKind.Closed, next.Kind);
        await log.DisposeAsync();
    }

    [Fact]
    public async Task A_full_queue_in_refuse_mode_refuses_the_call_and_drops_nothing()
    {
        var store = new GatedStore();
        var log = await PassportAuditLog.OpenAsync(store, Options(Key) with { QueueCapacity = 2, MaxBatchSize = 1, FullMode = PassportAuditLogFullMode.Refuse, WaitForWrite = false });
        await log.WriteAsync(Event(0)); // taken by the writer, which blocks in the store
        await store.Entered.Task;
        await log.WriteAsync(Event(1));
        await log.WriteAsync(Event(2));
        var refused = await Assert.ThrowsAsync<PassportAuditLogException>(async () => await log.WriteAsync(Event(3)));
        Assert.Equal(PassportAuditLogErrorKind.QueueFull, refused.Kind);
        store.Release.SetResult();
        await log.DisposeAsync();
        Assert.Equal(3, log.WrittenEvents);
        Assert.Equal(3, PassportAuditLogVerifier.Verify(store.Inner.Records).VerifiedEvents);
    }

    [Fact]
    public async Task A_full_queue_in_wait_mode_makes_the_caller_wait_until_there_is_room()
    {
        var store = new GatedStore();
        var log = await PassportAuditLog.OpenAsync(store, Options(Key) with { QueueCapacity = 1, MaxBatchSize = 1, WaitForWrite = false });
        await log.WriteAsync(Event(0));
        await store.Entered.Task;
        await log.WriteAsync(Event(1));
        var waiting = log.WriteAsync(Event(2)).AsTask();
        await Task.Delay(50);
        Assert.False(waiting.IsCompleted);
        store.Release.SetResult();
        await waiting;
        await log.DisposeAsync();
        Assert.Equal(3, log.WrittenEvents);
    }

    [Fact]
    public async Task The_checkpoint_interval_signs_records_without_new_events()
    {
        var clock = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(DateTimeOffset.UnixEpoch);
        var store = new InMemoryPassportAuditLogStore();
        var log = await PassportAuditLog.OpenAsync(store, Options(Key) with { CheckpointEvery = 1000, CheckpointInterval = TimeSpan.FromSeconds(5), TimeProvider = clock });
        await log.WriteAsync(Event(1));
        Assert.Single(store.Records);
        for (int i = 0; i < 200 && store.Records.Count < 2; i++)
        {
            clock.Advance(TimeSpan.FromSeconds(5));
            await Task.Delay(10);
        }

        Assert.Equal(2, store.Records.Count);
        Assert.Equal(2, PassportAuditLogVerifier.Verify(store.Records).LastCheckpointSeq);
        await log.DisposeAsync();
    }

    [Theory]
    [InlineData("plain ascii")]
    [InlineData("quote \" and backslash \\")]
    [InlineData("line\nbreak\u0001 and \u2028")]
    [InlineData("non-ascii: é ✈ 😀")]
    [InlineData("<script>&'`+")]
    public void A_record_is_byte_for_byte_what_RFC_8785_writes(string text)
    {
        var e = Event(1) with { ToolName = text, TaskPurpose = text, AgentId = text, ErrorKind = PassportErrorKind.ScopeViolation, ExpiresAt = Clock.GetUtcNow(), Ial = 2 };
        byte[] record = AuditRecordJson.Event(e, 42, AuditRecordJson.GenesisPrev);
        using var doc = System.Text.Json.JsonDocument.Parse(record);
        Assert.Equal(PassportCanonicalJson.Canonicalize(doc.RootElement), record);
        Assert.Equal(text, new PassportAuditLogRecord(42, record).ReadEvent()!.ToolName);
    }

    private sealed class FailingStore : IPassportAuditLogStore
    {
        public ValueTask AppendAsync(IReadOnlyList<PassportAuditLogRecord> records, CancellationToken cancellationToken = default) =>
            throw new PassportAuditLogException(PassportAuditLogErrorKind.Full, "disk full");

        public ValueTask<PassportAuditLogRecord?> ReadLastAsync(CancellationToken cancellationToken = default) => ValueTask.FromResult<PassportAuditLogRecord?>(null);

        public IAsyncEnumerable<PassportAuditLogRecord> ReadAsync(long fromSeq = 1, CancellationToken cancellationToken = default) => AsyncEnumerable.Empty<PassportAuditLogRecord>();
    }

    private sealed class GatedStore : IPassportAuditLogStore
    {
        public InMemoryPassportAuditLogStore Inner { get; } = new();

        public TaskCompletionSource Entered { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource Release { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public async ValueTask AppendAsync(IReadOnlyList<PassportAuditLogRecord> records, CancellationToken cancellationToken = default)
        {
            Entered.TrySetResult();
            await Release.Task;
            await Inner.AppendAsync(records, cancellationToken);
        }

        public ValueTask<PassportAuditLogRecord?> ReadLastAsync(CancellationToken cancellationToken = default) => Inner.ReadLastAsync(cancellationToken);

        public IAsyncEnumerable<PassportAuditLogRecord> ReadAsync(long fromSeq = 1, CancellationToken cancellationToken = default) => Inner.ReadAsync(fromSeq, cancellationToken);
    }
}
