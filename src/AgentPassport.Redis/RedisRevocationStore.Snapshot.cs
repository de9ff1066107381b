using StackExchange.Redis;

namespace AgentPassport.Redis;

/// <content>Keeping the local snapshot: the resync loop, pub/sub messages, merging (it only grows), and re-publishing when Redis lost the list (a new epoch).</content>
public sealed partial class RedisRevocationStore
{
    private static string NewEpoch() => Guid.NewGuid().ToString("N");

    private static void InterlockedMax(ref long target, long value)
    {
        long current = Volatile.Read(ref target);
        while (value > current)
        {
            long seen = Interlocked.CompareExchange(ref target, value, current);
            if (seen == current)
            {
                return;
            }

            current = seen;
        }
    }

    private async Task ResyncLoopAsync(CancellationToken stopping)
    {
        using var timer = new PeriodicTimer(_options.ResyncInterval, _time);
        while (await timer.WaitForNextTickAsync(stopping).ConfigureAwait(false))
        {
            try
            {
                await ResyncAsync(stopping).ConfigureAwait(false);
            }
            catch (AgentPassportException ex)
            {
                long synced = Volatile.Read(ref _syncedAtTicks);
                long age = synced == long.MinValue ? -1 : (long)TimeSpan.FromTicks(_time.GetUtcNow().UtcTicks - synced).TotalMilliseconds;
                RedisRevocationLog.ResyncFailed(_logger, age, (long)_options.MaxStaleness.TotalMilliseconds, ex);
            }
        }
    }

    private void OnMessage(RedisValue message)
    {
        try
        {
            Merge([RevocationEntry.ParseJson((byte[])message!)]);
        }
        catch (FormatException ex)
        {
            RedisRevocationLog.MalformedMessage(_logger, ex);
        }
    }

    private void Merge(List<RevocationEntry> entries)
    {
        if (entries.Count == 0)
        {
            return;
        }

        lock (_gate)
        {
            Volatile.Write(ref _set, RevocationSet.From(_set.Entries.Concat(entries), _time.GetUtcNow()));
        }
    }

    /// <summary>Records the epoch Redis reports; when it differs from the one seen before, Redis lost the list: re-publish ours.</summary>
    private async Task AdoptEpochAsync(string epoch, CancellationToken cancellationToken)
    {
        string? known = Volatile.Read(ref _epoch);
        if (known is null || string.Equals(known, epoch, StringComparison.Ordinal))
        {
            Volatile.Write(ref _epoch, epoch);
            return;
        }

        var local = Volatile.Read(ref _set).Pruned(_time.GetUtcNow()).Entries.ToList();
        RedisRevocationLog.DataLossDetected(_logger, known, epoch, local.Count);
        foreach (var entry in local)
        {
            await RunAsync(ct => WriteAsync(entry, ct), cancellationToken).ConfigureAwait(false);
        }

        // Only once every entry is back: a failure part-way is retried (from the start) by the next resync.
        Volatile.Write(ref _epoch, epoch);
        Interlocked.Increment(ref _dataLossRecoveries);
    }
}
