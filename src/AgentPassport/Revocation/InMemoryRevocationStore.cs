using System.Diagnostics.CodeAnalysis;

namespace AgentPassport;

/// <summary>Revocations held in this process only: always fresh. Expired entries are dropped on every write.</summary>
public sealed class InMemoryRevocationStore : IRevocationStore
{
    private readonly TimeProvider _time;
    private readonly Lock _writeGate = new();
    private RevocationSet _current = RevocationSet.Empty;

    /// <summary>Initializes an empty store.</summary>
    /// <param name="timeProvider">The clock that expires entries; <see cref="TimeProvider.System"/> when null.</param>
    public InMemoryRevocationStore(TimeProvider? timeProvider = null)
    {
        _time = timeProvider ?? TimeProvider.System;
    }

    /// <summary>Gets the current entries (expired ones included until the next write).</summary>
    public RevocationSet Current => Volatile.Read(ref _current);

    /// <inheritdoc />
    public bool TryGetCurrent([NotNullWhen(true)] out RevocationSet? revocations, [NotNullWhen(false)] out string? unavailableReason)
    {
        revocations = Volatile.Read(ref _current);
        unavailableReason = null;
        return true;
    }

    /// <inheritdoc />
    public ValueTask RevokeAsync(RevocationEntry entry, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entry);
        lock (_writeGate)
        {
            Volatile.Write(ref _current, _current.With(entry, _time.GetUtcNow()));
        }

        return ValueTask.CompletedTask;
    }
}
