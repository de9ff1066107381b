using Microsoft.Extensions.Logging;

namespace AgentPassport;

/// <summary>Writes one decision or mint to the sink, the log and the meter. Never records a token.</summary>
internal sealed class PassportAuditor
{
    private readonly IPassportAuditSink _sink;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;

    public PassportAuditor(IPassportAuditSink sink, ILogger logger, TimeProvider time)
    {
        _sink = sink;
        _logger = logger;
        _time = time;
    }

    // An audit failure propagates: the allow path audits before the tool runs, so a broken sink fails closed.
    public ValueTask DecisionAsync(PassportDecision decision, PassportContext? context, CancellationToken cancellationToken)
    {
        var claims = decision.Passport?.Passport;
        bool verified = claims is not null;
        claims ??= TryDecode(context);
        var auditEvent = Describe(claims, verified, decision.IsAllowed ? PassportAuditEventKind.Allowed : PassportAuditEventKind.Denied, decision);

        if (decision.IsAllowed)
        {
            PassportTelemetry.Allowed.Add(1, new KeyValuePair<string, object?>("tool", decision.ToolName));
            EnforcementLog.Allowed(_logger, decision.ToolName, decision.RequiredScope!, auditEvent.AgentId!, auditEvent.TokenId!);
        }
        else
        {
            PassportTelemetry.Denied.Add(1,
                new KeyValuePair<string, object?>("tool", decision.ToolName),
                new KeyValuePair<string, object?>("error", decision.Error.Name));
            EnforcementLog.Denied(_logger, decision.ToolName, decision.RequiredScope, auditEvent.AgentId, decision.Error.Kind, decision.Error.Code);
            EnforcementLog.DeniedDetail(_logger, decision.ToolName, decision.Error.Message);
        }

        return _sink.WriteAsync(auditEvent, cancellationToken);
    }

    public ValueTask MintedAsync(Passport minted, CancellationToken cancellationToken)
    {
        var auditEvent = Describe(minted, verified: true, PassportAuditEventKind.Minted, decision: null);
        PassportTelemetry.Minted.Add(1);
        EnforcementLog.Minted(_logger, minted.AgentId, minted.TokenId, minted.ParentJti);
        return _sink.WriteAsync(auditEvent, cancellationToken);
    }

    // One event object per record: the decision fields are set here rather than through a `with` copy.
    private PassportAuditEvent Describe(Passport? p, bool verified, PassportAuditEventKind kind, PassportDecision? decision) => new()
    {
        Kind = kind,
        ToolName = decision?.ToolName,
        RequiredScope = decision?.RequiredScope,
        ErrorKind = decision?.Error?.Kind,
        ErrorCode = decision?.Error?.Code,
        ChainReason = decision?.Error is { ChainReason: not ChainBrokenReason.None } e ? e.ChainReason : null,
        Timestamp = _time.GetUtcNow(),
        ClaimsVerified = verified && p is not null,
        AgentId = p?.AgentId,
        Principal = p?.Subject,
        Ial = p?.Ial,
        TokenId = p?.TokenId,
        ParentTokenId = p?.ParentJti,
        Scopes = p?.ToolScope.ToStrings() ?? [],
        Audience = p?.Audience,
        ExpiresAt = p?.ExpiresAt,
        TaskPurpose = p?.TaskPurpose,
    };

    private static Passport? TryDecode(PassportContext? context)
    {
        if (context is null)
        {
            return null;
        }

        try
        {
            return PassportReader.DecodeUnverified(context.Token);
        }
        catch (AgentPassportException)
        {
            // Not even decodable: the event records the denial without claims.
            return null;
        }
    }
}
