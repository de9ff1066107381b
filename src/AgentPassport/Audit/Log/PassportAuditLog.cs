using System.Security.Cryptography;
using System.Threading.Channels;
using AgentPassport.Internal;

namespace AgentPassport;

/// <summary>
/// A durable, tamper-evident audit sink (spec v1.1 §14): each event becomes a record chained to the one before by its
/// SHA-256, written in batches by one background writer to an <see cref="IPassportAuditLogStore"/>, with a checkpoint
/// signed by the log's own key every <see cref="PassportAuditLogOptions.CheckpointEvery"/> records or
/// <see cref="PassportAuditLogOptions.CheckpointInterval"/>, and a closing checkpoint on <see cref="DisposeAsync"/>.
/// </summary>
/// <remarks>
/// <para>Fail closed: by default <see cref="WriteAsync"/> completes when the event's batch is durable and throws
/// <see cref="PassportAuditLogException"/> when it cannot be written, so the decision fails and the tool never runs.
/// After a failed write the log refuses every later event (<see cref="PassportAuditLogErrorKind.Closed"/>): the chain
/// must not skip what it could not record.</para>
/// <para>Back-pressure: the queue holds <see cref="PassportAuditLogOptions.QueueCapacity"/> events; when it is full a
/// caller waits (<see cref="PassportAuditLogFullMode.Wait"/>) or is refused (<see cref="PassportAuditLogFullMode.Refuse"/>).
/// An event is never dropped.</para>
/// </remarks>
public sealed class PassportAuditLog : IPassportAuditSink, IAsyncDisposable
{
    private readonly IPassportAuditLogStore _store;
    private readonly PassportAuditLogOptions _options;
    private readonly bool _ownsStore;
    private readonly Channel<Pending> _queue;
    private readonly Task _writer;
    private long _seq;
    private string _prevHash;
    private long _sinceCheckpoint;
    private DateTimeOffset _lastCheckpointAt;
    private bool _endsWithCheckpoint;
    private long _lostEvents;
    private long _written;
    private volatile PassportAuditLogException? _failure;
    private int _disposed;

    private PassportAuditLog(IPassportAuditLogStore store, PassportAuditLogOptions options, bool ownsStore, PassportAuditLogRecord? last)
    {
        _store = store;
        _options = options;
        _ownsStore = ownsStore;
        _seq = last?.Seq ?? 0;
        _prevHash = last is null ? AuditRecordJson.GenesisPrev : AuditRecordJson.Hash(last.Bytes.Span);
        _lastCheckpointAt = options.TimeProvider.GetUtcNow();
        _endsWithCheckpoint = true; // nothing new to sign yet
        _queue = Channel.CreateBounded<Pending>(new BoundedChannelOptions(options.QueueCapacity)
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
        _writer = Task.Run(RunAsync);
    }

    /// <summary>Gets the number of events written so far by this writer.</summary>
    public long WrittenEvents => Interlocked.Read(ref _written);

    /// <summary>Gets the number of accepted events that could not be written (only possible with <see cref="PassportAuditLogOptions.WaitForWrite"/> off).</summary>
    public long LostEvents => Interlocked.Read(ref _lostEvents);

    /// <summary>Gets the failure that closed the log, or null while it is writing.</summary>
    public PassportAuditLogException? Failure => _failure;

    /// <summary>Opens a log on <paramref name="store"/>, continuing the chain after its last record.</summary>
    /// <param name="store">Where the records go.</param>
    /// <param name="options">The key and settings.</param>
    /// <param name="ownsStore">Whether disposing the log disposes the store.</param>
    /// <param name="cancellationToken">Cancels the read of the last record.</param>
    /// <returns>The log, ready to write.</returns>
    /// <exception cref="PassportAuditLogException">The store could not be read, or its last record is not a record.</exception>
    /// <exception cref="InvalidOperationException">The options cannot work (a cadence or queue below 1, a pseudonym key under 32 bytes).</exception>
    public static async ValueTask<PassportAuditLog> OpenAsync(IPassportAuditLogStore store, PassportAuditLogOptions options, bool ownsStore = false, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(options);
        Validate(options);
        var last = await store.ReadLastAsync(cancellationToken).ConfigureAwait(false);
        if (last is not null && AuditRecordJson.TryParse(last.Bytes) is null)
        {
            throw new PassportAuditLogException(PassportAuditLogErrorKind.NotALog,
                $"The log's last record (seq {last.Seq}) is not a complete record; run 'agent-passport audit verify' on it before writing more.");
        }

        return new PassportAuditLog(store, options, ownsStore, last);
    }

    /// <inheritdoc />
    /// <exception cref="PassportAuditLogException">The event cannot be recorded: the log is closed or failed, the queue is full in <see cref="PassportAuditLogFullMode.Refuse"/> mode, or the write failed.</exception>
    public async ValueTask WriteAsync(PassportAuditEvent auditEvent, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(auditEvent);
        ThrowIfClosed();
        var pending = new Pending(auditEvent, _options.WaitForWrite ? new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously) : null);
        if (!_queue.Writer.TryWrite(pending))
        {
            if (_options.FullMode == PassportAuditLogFullMode.Refuse)
            {
                ThrowIfClosed();
                throw new PassportAuditLogException(PassportAuditLogErrorKind.QueueFull,
                    $"The audit log's queue is full ({_options.QueueCapacity} events); the event was refused, not dropped.");
            }

            try
            {
                await _queue.Writer.WriteAsync(pending, cancellationToken).ConfigureAwait(false);
            }
            catch (ChannelClosedException)
            {
                ThrowIfClosed();
                throw;
            }
        }

        if (pending.Written is { } written)
        {
            await written.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Writes what is queued, signs a closing checkpoint and stops the writer.</summary>
    /// <returns>A task that completes when the log is closed.</returns>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        _queue.Writer.TryComplete();
        await _writer.ConfigureAwait(false);
        if (_ownsStore)
        {
            if (_store is IAsyncDisposable asyncDisposable)
            {
                await asyncDisposable.DisposeAsync().ConfigureAwait(false);
            }
            else if (_store is IDisposable disposable)
            {
                disposable.Dispose();
            }
        }
    }

    private static void Validate(PassportAuditLogOptions options)
    {
        ArgumentNullException.ThrowIfNull(options.SigningKey);
        if (options.CheckpointEvery < 1 || options.QueueCapacity < 1 || options.MaxBatchSize < 1 || options.CheckpointInterval <= TimeSpan.Zero)
        {
            throw new InvalidOperationException("PassportAuditLogOptions: CheckpointEvery, QueueCapacity and MaxBatchSize must be at least 1 and CheckpointInterval positive.");
        }

        if (!options.SubjectPseudonymKey.IsEmpty && options.SubjectPseudonymKey.Length < 32)
        {
            throw new InvalidOperationException("PassportAuditLogOptions.SubjectPseudonymKey must be at least 32 random bytes (or empty to keep principals as they are).");
        }
    }

    private void ThrowIfClosed()
    {
        if (_failure is { } failure)
        {
            throw new PassportAuditLogException(PassportAuditLogErrorKind.Closed, "The audit log refuses events after a failed write: " + failure.Message, failure);
        }

        if (Volatile.Read(ref _disposed) == 1)
        {
            throw new PassportAuditLogException(PassportAuditLogErrorKind.Closed, "The audit log is closed.");
        }
    }

    private async Task RunAsync()
    {
        var reader = _queue.Reader;
        var batch = new List<Pending>(_options.MaxBatchSize);
        var records = new List<PassportAuditLogRecord>(_options.MaxBatchSize + 2);
        while (true)
        {
            bool more = await WaitAsync(reader).ConfigureAwait(false);
            while (batch.Count < _options.MaxBatchSize && reader.TryRead(out var pending))
            {
                batch.Add(pending);
            }

            bool checkpointDue = !_endsWithCheckpoint && _options.TimeProvider.GetUtcNow() - _lastCheckpointAt >= _options.CheckpointInterval;
            if (batch.Count > 0 || checkpointDue || !more)
            {
                if (!await WriteBatchAsync(batch, records, closing: !more && reader.Count == 0).ConfigureAwait(false))
                {
                    FailRemaining(reader);
                    return;
                }
            }

            batch.Clear();
            records.Clear();
            if (!more && reader.Count == 0)
            {
                return;
            }
        }
    }

    // Waits for an event, or for the checkpoint interval when records are unsigned; false once the queue is completed.
    private async ValueTask<bool> WaitAsync(ChannelReader<Pending> reader)
    {
        if (reader.TryPeek(out _))
        {
            return true;
        }

        if (_endsWithCheckpoint)
        {
            return await reader.WaitToReadAsync().ConfigureAwait(false);
        }

        var remaining = _options.CheckpointInterval - (_options.TimeProvider.GetUtcNow() - _lastCheckpointAt);
        if (remaining <= TimeSpan.Zero)
        {
            return true;
        }

        using var timer = new CancellationTokenSource(remaining, _options.TimeProvider);
        try
        {
            return await reader.WaitToReadAsync(timer.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return true; // the interval passed: sign what is there
        }
    }

    private async ValueTask<bool> WriteBatchAsync(List<Pending> batch, List<PassportAuditLogRecord> records, bool closing)
    {
        long seq = _seq, sinceCheckpoint = _sinceCheckpoint;
        string prev = _prevHash;
        var now = _options.TimeProvider.GetUtcNow();
        var lastCheckpointAt = _lastCheckpointAt;
        bool endsWithCheckpoint = _endsWithCheckpoint;
        try
        {
            foreach (var pending in batch)
            {
                Add(AuditRecordJson.Event(Pseudonymize(pending.Event), ++seq, prev));
                endsWithCheckpoint = false;
                if (++sinceCheckpoint >= _options.CheckpointEvery)
                {
                    Checkpoint(closed: false);
                }
            }

            if (closing || (!endsWithCheckpoint && now - lastCheckpointAt >= _options.CheckpointInterval))
            {
                Checkpoint(closed: closing);
            }

            await _store.AppendAsync(records, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            _failure = ex as PassportAuditLogException
                ?? new PassportAuditLogException(PassportAuditLogErrorKind.StorageFailed, "The audit log could not be written: " + ex.GetType().Name, ex);
            foreach (var pending in batch)
            {
                Fail(pending);
            }

            return false;
        }

        (_seq, _prevHash, _sinceCheckpoint, _lastCheckpointAt, _endsWithCheckpoint) = (seq, prev, sinceCheckpoint, lastCheckpointAt, endsWithCheckpoint);
        Interlocked.Add(ref _written, batch.Count);
        foreach (var pending in batch)
        {
            pending.Written?.TrySetResult();
        }

        return true;

        void Add(byte[] bytes)
        {
            records.Add(new PassportAuditLogRecord(seq, bytes));
            prev = AuditRecordJson.Hash(bytes);
        }

        void Checkpoint(bool closed)
        {
            Add(AuditRecordJson.Checkpoint(++seq, prev, AuditCheckpoint.Sign(_options.SigningKey, seq, prev, now, closed)));
            sinceCheckpoint = 0;
            lastCheckpointAt = now;
            endsWithCheckpoint = true;
        }
    }

    private PassportAuditEvent Pseudonymize(PassportAuditEvent e)
    {
        if (_options.SubjectPseudonymKey.IsEmpty || e.Principal is null)
        {
            return e;
        }

        var mac = HMACSHA256.HashData(_options.SubjectPseudonymKey.Span, System.Text.Encoding.UTF8.GetBytes(e.Principal));
        return e with { Principal = "hmac-sha256:" + CanonicalBase64Url.Encode(mac) };
    }

    private void FailRemaining(ChannelReader<Pending> reader)
    {
        _queue.Writer.TryComplete();
        while (reader.TryRead(out var pending))
        {
            Fail(pending);
        }
    }

    private void Fail(Pending pending)
    {
        if (pending.Written is { } written)
        {
            written.TrySetException(_failure!);
        }
        else
        {
            Interlocked.Increment(ref _lostEvents);
        }
    }

    private sealed record Pending(PassportAuditEvent Event, TaskCompletionSource? Written);
}
