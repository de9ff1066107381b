using System.Runtime.CompilerServices;

namespace AgentPassport;

/// <summary>
/// An audit log store in memory (tests, short-lived tools): the records as written, replaceable with
/// <see cref="Replace"/> for tamper tests. Nothing survives the process.
/// </summary>
public sealed class InMemoryPassportAuditLogStore : IPassportAuditLogStore
{
    private readonly Lock _gate = new();
    private readonly List<PassportAuditLogRecord> _records = [];

    /// <summary>Gets a snapshot of the stored records, in order.</summary>
    public IReadOnlyList<PassportAuditLogRecord> Records
    {
        get
        {
            lock (_gate)
            {
                return [.. _records];
            }
        }
    }

    /// <summary>Replaces every stored record (to simulate a store edited behind the writer's back).</summary>
    /// <param name="records">The new content.</param>
    public void Replace(IEnumerable<PassportAuditLogRecord> records)
    {
        ArgumentNullException.ThrowIfNull(records);
        lock (_gate)
        {
            _records.Clear();
            _records.AddRange(records);
        }
    }

    /// <inheritdoc />
    public ValueTask AppendAsync(IReadOnlyList<PassportAuditLogRecord> records, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(records);
        lock (_gate)
        {
            _records.AddRange(records);
        }

        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public ValueTask<PassportAuditLogRecord?> ReadLastAsync(CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            return ValueTask.FromResult(_records.Count == 0 ? null : _records[^1]);
        }
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<PassportAuditLogRecord> ReadAsync(long fromSeq = 1, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await Task.CompletedTask.ConfigureAwait(false);
        foreach (var record in Records)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (record.Seq >= fromSeq)
            {
                yield return record;
            }
        }
    }
}
