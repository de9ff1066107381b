namespace AgentPassport;

/// <summary>
/// A thread-safe audit sink that keeps events in memory, oldest first, up to a capacity (the oldest are dropped beyond it).
/// Feed <see cref="Events"/> to <see cref="DelegationTree.Build"/> to draw who did what.
/// </summary>
public sealed class InMemoryPassportAuditSink : IPassportAuditSink
{
    /// <summary>The default capacity.</summary>
    public const int DefaultCapacity = 10_000;

    private readonly Lock _gate = new();
    private readonly Queue<PassportAuditEvent> _events = new();

    /// <summary>Initializes a sink.</summary>
    /// <param name="capacity">How many events to keep (at least 1).</param>
    public InMemoryPassportAuditSink(int capacity = DefaultCapacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        Capacity = capacity;
    }

    /// <summary>Gets how many events are kept.</summary>
    public int Capacity { get; }

    /// <summary>Gets a snapshot of the events, oldest first.</summary>
    public IReadOnlyList<PassportAuditEvent> Events
    {
        get
        {
            lock (_gate)
            {
                return [.. _events];
            }
        }
    }

    /// <inheritdoc />
    public ValueTask WriteAsync(PassportAuditEvent auditEvent, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(auditEvent);
        lock (_gate)
        {
            if (_events.Count == Capacity)
            {
                _events.Dequeue();
            }

            _events.Enqueue(auditEvent);
        }

        return ValueTask.CompletedTask;
    }

    /// <summary>Removes every event.</summary>
    public void Clear()
    {
        lock (_gate)
        {
            _events.Clear();
        }
    }
}
