using Microsoft.Extensions.Logging;

namespace AgentPassport;

/// <summary>Source-generated log messages of the enforcement path. Ids at Debug/Information, never a token.</summary>
internal static partial class EnforcementLog
{
    [LoggerMessage(EventId = 4001, Level = LogLevel.Debug, Message = "Agent Passport allowed {ToolName} (scope {RequiredScope}) for agent {AgentId}, jti {TokenId}")]
    public static partial void Allowed(ILogger logger, string toolName, string requiredScope, string agentId, string tokenId);

    [LoggerMessage(EventId = 4002, Level = LogLevel.Warning, Message = "Agent Passport denied {ToolName} (scope {RequiredScope}) for agent {AgentId}: {ErrorKind} {ErrorCode}")]
    public static partial void Denied(ILogger logger, string toolName, string? requiredScope, string? agentId, PassportErrorKind errorKind, string errorCode);

    [LoggerMessage(EventId = 4003, Level = LogLevel.Trace, Message = "Agent Passport denial detail for {ToolName}: {ErrorMessage}")]
    public static partial void DeniedDetail(ILogger logger, string toolName, string errorMessage);

    [LoggerMessage(EventId = 4004, Level = LogLevel.Information, Message = "Agent Passport minted for agent {AgentId}, jti {TokenId}, parent jti {ParentTokenId}")]
    public static partial void Minted(ILogger logger, string agentId, string tokenId, string? parentTokenId);
}
