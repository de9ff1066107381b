using StackExchange.Redis;

namespace AgentPassport.Redis;

/// <summary>
/// The one way this package connects: a Redis that is down does not fail the connect (checks are refused until it is
/// back), queued commands fail at once instead of waiting for a reconnect, and every operation is bounded by the caller's
/// timeout. The handshake gets longer: connecting is not on the verification path.
/// </summary>
internal static class RedisFailFastConnection
{
    public static async Task<ConnectionMultiplexer> ConnectAsync(string configuration, TimeSpan operationTimeout, CancellationToken cancellationToken)
    {
        var config = ConfigurationOptions.Parse(configuration);
        config.AbortOnConnectFail = false;
        config.BacklogPolicy = BacklogPolicy.FailFast;
        int timeoutMs = (int)Math.Ceiling(operationTimeout.TotalMilliseconds);
        config.ConnectTimeout = Math.Max(timeoutMs, 5000); // a refused connection still fails at once
        config.AsyncTimeout = timeoutMs;
        config.SyncTimeout = timeoutMs;
        config.ConnectRetry = 1;
        return await ConnectionMultiplexer.ConnectAsync(config).WaitAsync(cancellationToken).ConfigureAwait(false);
    }
}
