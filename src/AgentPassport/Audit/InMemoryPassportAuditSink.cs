namespace AgentPassport;

/// <summary>
/// A thread-safe audit sink that keeps events in memory, oldest first, up to a number of events and an estimate of the
/// memory they hold (the oldest are dropped beyond either). Feed <see cref="Events"/> to <see cref="DelegationTree.Build(IEnumerable{PassportAuditEvent})"/>
/// to draw who did what.
/// </summary>
public sealed class InMemoryPassportAuditSink : IPassportAuditSink
{
    /// <summary>The default capacity.</summary>
    public const int DefaultCapacity = 10_000;

    /// <summary>The default memory bound of the kept events (32 MiB, estimated from their text).</summary>
    public const long DefaultMaxBytes = 32L * 1024 * 1024;

    // A record's fixed part (object headers, times, enums, list) in the estimate.
    private const int EventOverheadBytes = 256;

    private readonly Lock _gate = new();
    private readonly Queue<(PassportAuditEvent Event, long Bytes)> _events = new();
    private long _bytes;

    /// <summary>Initializes a sink.</summary>
    /// <param name="capacity">How many events to keep (at least 1).</param>
    /// <param name="maxBytes">How much memory the kept events may hold, estimated from their text (at least 64 KiB).</param>
    public InMemoryPassportAuditSink(int capacity = DefaultCapacity, long maxBytes = DefaultMaxBytes)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxBytes, 64 * 1024);
        Capacity = capacity;
        MaxBytes = maxBytes;
    }

    /// <summary>Gets how many events are kept.</summary>
    public int Capacity { get; }

    /// <summary>Gets the memory bound of the kept events, in bytes (an estimate from their text).</summary>
    public long MaxBytes { get; }

    /// <summary>Gets the estimated memory the kept events hold, in bytes.</summary>
    public long EstimatedBytes
    {
        get
        {
            lock (_gate)
            {
                return _bytes;
            }
        }
    }

    /// <summary>Gets a snapshot of the events, oldest first.</summary>
    public IReadOnlyList<PassportAuditEvent> Events
    {
        get
        {
            lock (_gate)
            {
                return [.. _events.Select(e => e.Event)];
            }
        }
    }

    /// <inheritdoc />
    public ValueTask WriteAsync(PassportAuditEvent auditEvent, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(auditEvent);
        long size = Estimate(auditEvent);
        lock (_gate)
        {
            while (_events.Count > 0 && (_events.Count >= Capacity || _bytes + size > MaxBytes))
            {
                _bytes -= _events.Dequeue().Bytes;
            }

            _events.Enqueue((auditEvent, size));
            _bytes += size;
        }

        return ValueTask.CompletedTask;
    }

    /// <summary>Removes every event.</summary>
    public void Clear()
    {
        lock (_gate)
        {
            _events.Clear();
            _bytes = 0;
        }
    }

    // UTF-16 text plus a string header per value; what a record pins on the heap, roughly.
    internal static long Estimate(PassportAuditEvent e)
    {
        long bytes = EventOverheadBytes;
        bytes += Text(e.AgentId) + Text(e.Principal) + Text(e.TokenId) + Text(e.ParentTokenId) + Text(e.Audience)
            + Text(e.TaskPurpose) + Text(e.ToolName) + Text(e.RequiredScope) + Text(e.ErrorCode);
        foreach (var scope in e.Scopes)
        {
            bytes += 8 + Text(scope);
        }

        return bytes;

        static long Text(string? s) => s is null ? 0 : 24 + (2L * s.Length);
    }
}
