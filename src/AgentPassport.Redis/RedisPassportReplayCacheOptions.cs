using Microsoft.Extensions.Logging;

namespace AgentPassport.Redis;

/// <summary>Settings of a <see cref="RedisPassportReplayCache"/>.</summary>
public sealed class RedisPassportReplayCacheOptions
{
    /// <summary>Gets or sets the prefix of the cache's Redis keys (several deployments may share one Redis under different prefixes).</summary>
    /// <value>Default <c>agent-passport:proofs</c>. Verifiers that must see each other's proofs use the same prefix.</value>
    public string KeyPrefix { get; set; } = "agent-passport:proofs";

    /// <summary>
    /// Gets or sets the longest one replay check may take: a hung Redis costs a call at most this long, and the call is
    /// then refused (<see cref="PassportReplayCheck.Unavailable"/>).
    /// </summary>
    /// <value>Default 1 s.</value>
    public TimeSpan OperationTimeout { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Gets or sets the logger for outages; none when null. Keys, thumbprints and proof identifiers never go to the log.</summary>
    public ILogger? Logger { get; set; }

    internal void Validate()
    {
        if (string.IsNullOrWhiteSpace(KeyPrefix))
        {
            throw new InvalidOperationException("RedisPassportReplayCacheOptions.KeyPrefix must not be empty.");
        }

        if (OperationTimeout <= TimeSpan.Zero)
        {
            throw new InvalidOperationException("RedisPassportReplayCacheOptions.OperationTimeout must be positive, else every replay check would be refused.");
        }
    }
}
