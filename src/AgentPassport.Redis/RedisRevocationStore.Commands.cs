using Polly.Timeout;
using StackExchange.Redis;

namespace AgentPassport.Redis;

/// <content>The Redis commands (revoke and snapshot scripts), each run under the operation timeout; every failure is <see cref="PassportErrorKind.RevocationUnavailable"/>.</content>
public sealed partial class RedisRevocationStore
{
    private IDatabase Db => _redis.GetDatabase();

    private async Task<string> WriteAsync(RevocationEntry entry, CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        long ttl = Math.Max(1, (long)Math.Ceiling((entry.ExpiresAt - now).TotalMilliseconds));
        var result = await Db.ScriptEvaluateAsync(RedisRevocationScripts.Revoke, [_indexKey, _epochKey],
        [
            entry.ToJson(),
            entry.ExpiresAt.ToUnixTimeMilliseconds(),
            now.ToUnixTimeMilliseconds(),
            ttl,
            NewEpoch(),
            _options.KeyPrefix + ":events",
        ]).WaitAsync(cancellationToken).ConfigureAwait(false);
        return (string)result!;
    }

    private async Task<(string? Epoch, List<RevocationEntry> Entries)> ReadSnapshotAsync(CancellationToken cancellationToken)
    {
        var result = await Db.ScriptEvaluateAsync(RedisRevocationScripts.Snapshot, [_indexKey, _epochKey], [_time.GetUtcNow().ToUnixTimeMilliseconds()])
            .WaitAsync(cancellationToken).ConfigureAwait(false);
        var parts = (RedisResult[])result!;
        string? epoch = parts[0].IsNull ? null : (string)parts[0]!;
        var entries = new List<RevocationEntry>();
        foreach (var item in (RedisResult[])parts[1]!)
        {
            try
            {
                entries.Add(RevocationEntry.ParseJson((byte[])item!));
            }
            catch (FormatException ex)
            {
                // A foreign or corrupt member cannot revoke anything we could read; report it and keep the rest.
                RedisRevocationLog.MalformedMessage(_logger, ex);
            }
        }

        return (epoch, entries);
    }

    /// <summary>Runs one Redis operation under the timeout; every failure becomes <see cref="PassportErrorKind.RevocationUnavailable"/>.</summary>
    private async Task<T> RunAsync<T>(Func<CancellationToken, Task<T>> operation, CancellationToken cancellationToken)
    {
        try
        {
            return await _timeout.ExecuteAsync(async ct => await operation(ct).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutRejectedException ex)
        {
            throw AgentPassportException.Create(PassportErrorKind.RevocationUnavailable, $"Redis did not answer within {_options.OperationTimeout.TotalMilliseconds:0} ms", ex);
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            throw AgentPassportException.Create(PassportErrorKind.RevocationUnavailable, $"Redis is unavailable: {ex.GetType().Name}", ex);
        }
    }
}
