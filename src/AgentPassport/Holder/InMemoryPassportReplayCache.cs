namespace AgentPassport;

/// <summary>
/// A replay cache for one process (spec v1.1 §11): an atomic "insert if absent, with expiry" keyed on (thumbprint,
/// <c>jti</c>), bounded. Expired entries are dropped as new ones arrive; when the cache is full of live entries it refuses
/// (<see cref="PassportReplayCheck.Unavailable"/>) rather than forget one early. Thread-safe. For verifiers on several
/// machines, use a shared cache (AgentPassport.Redis).
/// </summary>
public sealed class InMemoryPassportReplayCache : IPassportReplayCache
{
    /// <summary>The default capacity.</summary>
    public const int DefaultCapacity = 100_000;

    private readonly Dictionary<(string Thumbprint, string Jti), DateTimeOffset> _entries = [];
    private readonly PriorityQueue<(string Thumbprint, string Jti), DateTimeOffset> _expiries = new();
    private readonly Lock _gate = new();
    private readonly TimeProvider _time;

    /// <summary>Initializes a cache.</summary>
    /// <param name="capacity">The most live entries kept (1..10,000,000).</param>
    /// <param name="timeProvider">The clock for expiries; <see cref="TimeProvider.System"/> when null.</param>
    /// <exception cref="ArgumentOutOfRangeException">The capacity is out of range.</exception>
    public InMemoryPassportReplayCache(int capacity = DefaultCapacity, TimeProvider? timeProvider = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(capacity, 10_000_000);
        Capacity = capacity;
        _time = timeProvider ?? TimeProvider.System;
    }

    /// <summary>Gets the most live entries kept.</summary>
    public int Capacity { get; }

    /// <summary>Gets the number of entries held (live, or expired and not yet dropped).</summary>
    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _entries.Count;
            }
        }
    }

    /// <inheritdoc />
    public ValueTask<PassportReplayCheck> TryRecordAsync(string thumbprint, string jti, TimeSpan timeToLive, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(thumbprint);
        ArgumentNullException.ThrowIfNull(jti);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(timeToLive, TimeSpan.Zero);
        cancellationToken.ThrowIfCancellationRequested();
        var now = _time.GetUtcNow();
        var key = (thumbprint, jti);
        lock (_gate)
        {
            DropExpired(now);
            if (_entries.TryGetValue(key, out var expiry) && expiry > now)
            {
                return new(PassportReplayCheck.Replayed);
            }

            if (_entries.Count >= Capacity)
            {
                return new(PassportReplayCheck.Unavailable);
            }

            var until = now + timeToLive;
            _entries[key] = until;
            _expiries.Enqueue(key, until);
            return new(PassportReplayCheck.FirstUse);
        }
    }

    // Each entry is queued once with its expiry, so the head of the queue is always the next to expire.
    private void DropExpired(DateTimeOffset now)
    {
        while (_expiries.TryPeek(out var key, out var expiry) && expiry <= now)
        {
            _expiries.Dequeue();
            _entries.Remove(key);
        }
    }
}
