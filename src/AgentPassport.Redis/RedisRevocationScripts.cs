namespace AgentPassport.Redis;

/// <summary>
/// The Lua scripts the store runs, each one atomic on the server. Layout under the prefix: a sorted set of entry JSON
/// scored by expiry (Unix ms), whose key expires (PEXPIRE, relative) with its latest entry; an epoch key naming the
/// data set's generation; a pub/sub channel carrying each new entry.
/// </summary>
internal static class RedisRevocationScripts
{
    /// <summary>
    /// Adds one entry, drops expired ones, stretches the set's TTL to the entry's, creates the epoch when missing, publishes
    /// the entry. KEYS: index, epoch. ARGV: entry JSON, expiry ms, now ms, TTL ms, proposed epoch, channel. Returns the epoch.
    /// </summary>
    public const string Revoke = """
        redis.call('ZADD', KEYS[1], ARGV[2], ARGV[1])
        redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', '(' .. ARGV[3])
        local ttl = tonumber(ARGV[4])
        if redis.call('PTTL', KEYS[1]) < ttl then
          redis.call('PEXPIRE', KEYS[1], ttl)
        end
        redis.call('SET', KEYS[2], ARGV[5], 'NX')
        redis.call('PUBLISH', ARGV[6], ARGV[1])
        return redis.call('GET', KEYS[2])
        """;

    /// <summary>
    /// Reads the generation and every live entry in one atomic step, dropping expired ones. KEYS: index, epoch. ARGV: now
    /// ms, proposed epoch (set when there is none and the set is empty: a fresh deployment). Returns {epoch or nil, entries}.
    /// </summary>
    public const string Snapshot = """
        redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', '(' .. ARGV[1])
        local entries = redis.call('ZRANGEBYSCORE', KEYS[1], ARGV[1], '+inf')
        return {redis.call('GET', KEYS[2]), entries}
        """;

    /// <summary>Creates the epoch when missing. KEYS: epoch. ARGV: proposed epoch. Returns the epoch.</summary>
    public const string EnsureEpoch = """
        redis.call('SET', KEYS[1], ARGV[1], 'NX')
        return redis.call('GET', KEYS[1])
        """;
}
