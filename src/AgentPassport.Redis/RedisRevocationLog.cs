using Microsoft.Extensions.Logging;

namespace AgentPassport.Redis;

/// <summary>The store's log messages. Entries are named by kind only; values never go to the log.</summary>
internal static partial class RedisRevocationLog
{
    [LoggerMessage(EventId = 4100, Level = LogLevel.Warning, Message = "Revocation resync from Redis failed; the snapshot is {AgeMs} ms old (refusing beyond {BoundMs} ms)")]
    public static partial void ResyncFailed(ILogger logger, long ageMs, long boundMs, Exception exception);

    [LoggerMessage(EventId = 4101, Level = LogLevel.Error, Message = "Redis lost the revocation list (epoch {Known} became {Current}); re-publishing the {Count} entries of the local snapshot")]
    public static partial void DataLossDetected(ILogger logger, string known, string current, int count);

    [LoggerMessage(EventId = 4102, Level = LogLevel.Warning, Message = "A malformed revocation message was ignored (the next resync reads the list again)")]
    public static partial void MalformedMessage(ILogger logger, Exception exception);
}
