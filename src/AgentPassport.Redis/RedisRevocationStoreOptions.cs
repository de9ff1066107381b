using Microsoft.Extensions.Logging;

namespace AgentPassport.Redis;

/// <summary>Settings of a <see cref="RedisRevocationStore"/>.</summary>
public sealed class RedisRevocationStoreOptions
{
    /// <summary>Gets or sets the prefix of the store's Redis keys and channel (several deployments may share one Redis under different prefixes).</summary>
    /// <value>Default <c>agent-passport:revocations</c>.</value>
    public string KeyPrefix { get; set; } = "agent-passport:revocations";

    /// <summary>
    /// Gets or sets how old the local snapshot (time since the start of the last successful resync) may be before the
    /// store refuses with <see cref="PassportErrorKind.RevocationUnavailable"/>: the bound on how late a revocation
    /// written elsewhere can take effect here.
    /// </summary>
    /// <value>Default 5 s.</value>
    public TimeSpan MaxStaleness { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Gets or sets how often the whole list is read again (recovers pub/sub messages lost while disconnected). Must be below <see cref="MaxStaleness"/>.</summary>
    /// <value>Default 1 s.</value>
    public TimeSpan ResyncInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Gets or sets the longest one Redis operation may take (a hung Redis costs at most this per attempt).</summary>
    /// <value>Default 1 s.</value>
    public TimeSpan OperationTimeout { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Gets or sets a value indicating whether revocations are pushed to the snapshot by pub/sub as they are written; when false only the resync brings them.</summary>
    /// <value>Default true.</value>
    public bool UsePubSub { get; set; } = true;

    /// <summary>Gets or sets the clock for staleness, resync ticks and expiry; <see cref="TimeProvider.System"/> when null. Operation timeouts always use real time.</summary>
    public TimeProvider? TimeProvider { get; set; }

    /// <summary>Gets or sets the logger for outages and detected data loss; none when null.</summary>
    public ILogger? Logger { get; set; }

    internal void Validate()
    {
        if (string.IsNullOrWhiteSpace(KeyPrefix))
        {
            throw new InvalidOperationException("RedisRevocationStoreOptions.KeyPrefix must not be empty.");
        }

        if (MaxStaleness <= TimeSpan.Zero || ResyncInterval <= TimeSpan.Zero || OperationTimeout <= TimeSpan.Zero)
        {
            throw new InvalidOperationException("RedisRevocationStoreOptions: MaxStaleness, ResyncInterval and OperationTimeout must be positive.");
        }

        if (ResyncInterval >= MaxStaleness)
        {
            throw new InvalidOperationException(
                $"RedisRevocationStoreOptions.ResyncInterval ({ResyncInterval.TotalSeconds:0.###} s) must be below MaxStaleness ({MaxStaleness.TotalSeconds:0.###} s), else a healthy store would refuse between resyncs; lower ResyncInterval or raise MaxStaleness.");
        }
    }
}
