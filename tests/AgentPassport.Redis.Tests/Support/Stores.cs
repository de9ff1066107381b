namespace AgentPassport.Redis.Tests.Support;

/// <summary>Connects a store and waits (bounded) for its first successful resync, so a loaded machine's slow first handshake does not fail a test about something else.</summary>
public static class Stores
{
    public static async Task<RedisRevocationStore> ConnectSyncedAsync(RedisServer redis, RedisRevocationStoreOptions options)
    {
        var store = await RedisRevocationStore.ConnectAsync(redis.Configuration, options);
        await Poll.UntilAsync(() => store.TryGetCurrent(out _, out _), TimeSpan.FromSeconds(20), "the store's first resync",
            () => (options.TimeProvider as Microsoft.Extensions.Time.Testing.FakeTimeProvider)?.Advance(TimeSpan.FromMilliseconds(100)));
        return store;
    }
}
