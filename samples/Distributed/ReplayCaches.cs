using AgentPassport;
using AgentPassport.Redis;

namespace DistributedSample;

/// <summary>The proof replay cache a service uses: in memory by default, Redis when AGENT_PASSPORT_REDIS is set.</summary>
internal static class ReplayCaches
{
    public static async Task<IPassportReplayCache> CreateAsync()
    {
        string? redis = Environment.GetEnvironmentVariable(SampleSettings.RedisVariable);
        return string.IsNullOrWhiteSpace(redis)
            ? new InMemoryPassportReplayCache()
            : await RedisPassportReplayCache.ConnectAsync(redis);
    }

    /// <summary>What the orchestrator prints (the host:port only, never a password in a connection string).</summary>
    public static string Describe()
    {
        string? redis = Environment.GetEnvironmentVariable(SampleSettings.RedisVariable);
        return string.IsNullOrWhiteSpace(redis) ? "in memory (set AGENT_PASSPORT_REDIS=host:port for Redis)" : "Redis at " + redis.Split(',')[0];
    }
}
