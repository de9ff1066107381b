using Microsoft.Extensions.Logging;

namespace AgentPassport.Redis;

/// <summary>The replay cache's log messages. Thumbprints and proof identifiers never go to the log.</summary>
internal static partial class RedisReplayCacheLog
{
    [LoggerMessage(EventId = 4110, Level = LogLevel.Warning, Message = "Replay check in Redis did not answer within {TimeoutMs} ms; the call is refused")]
    public static partial void CheckTimedOut(ILogger logger, long timeoutMs, Exception exception);

    [LoggerMessage(EventId = 4111, Level = LogLevel.Warning, Message = "Replay check in Redis failed ({ErrorType}); the call is refused")]
    public static partial void CheckFailed(ILogger logger, string errorType, Exception exception);
}
