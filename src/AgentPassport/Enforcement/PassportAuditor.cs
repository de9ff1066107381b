using Microsoft.Extensions.Logging;

namespace AgentPassport;

/// <summary>Writes one decision or mint to the sink, the log and the meter. Never records a token.</summary>
internal sealed class PassportAuditor
{
    private const string UnknownToolTag = "(unknown tool)";

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
    public ValueTask DecisionAsync(PassportDecision decision, PassportContext? context, CancellationToken cancellationToken, PassportAuditEventKind? kind = null)
    {
        var claims = decision.Passport?.Passport;
        bool verified = claims is not null;
        claims ??= TryDecode(context);
        var auditEvent = Describe(claims, verified, kind ?? (decision.IsAllowed ? PassportAuditEventKind.Allowed : PassportAuditEventKind.Denied), decision);

        // Logs get the bounded, escaped name; the meter never gets a caller-invented name (one series per unknown name
        // would let a caller grow the metrics without bound).
        var loggedTool = InertText.Escape(auditEvent.ToolName);
        if (decision.IsAllowed)
        {
            PassportTelemetry.Allowed.Add(1, new KeyValuePair<string, object?>("tool", decision.ToolName));
            EnforcementLog.Allowed(_logger, loggedTool, decision.RequiredScope!, auditEvent.AgentId!, auditEvent.TokenId!);
        }
        else
        {
            PassportTelemetry.Denied.Add(1,
                new KeyValuePair<string, object?>("tool", auditEvent.Kind == PassportAuditEventKind.UnknownTool ? UnknownToolTag : decision.ToolName),
                new KeyValuePair<string, object?>("error", decision.Error.Name));
            EnforcementLog.Denied(_logger, loggedTool, decision.RequiredScope, auditEvent.AgentId, decision.Error.Kind, decision.Error.Code);
            if (_logger.IsEnabled(LogLevel.Trace))
            {
                var detail = InertText.Escape(decision.Error.Message);
                EnforcementLog.DeniedDetail(_logger, loggedTool, detail);
            }
        }

        return _sink.WriteAsync(auditEvent, cancellationToken);
    }

    public ValueTask MintedAsync(Passport minted, CancellationToken cancellationToken)
    {
        var auditEvent = Describe(minted, verified: true, PassportAuditEventKind.Minted, decision: null);
        if (!minted.Constraints.IsEmpty)
        {
            // On mint records only: the tree shows what each agent was allowed to call with; decisions stay small.
            auditEvent = auditEvent with { Constraints = minted.Constraints.ToJson() };
        }

        using (var activity = PassportTelemetry.Source.StartActivity(PassportTelemetry.MintActivityName))
        {
            activity?.SetTag(PassportTelemetry.AgentIdTag, minted.AgentId);
            activity?.SetTag(PassportTelemetry.TokenIdTag, minted.TokenId);
            activity?.SetTag(PassportTelemetry.ParentTokenIdTag, minted.ParentJti);
        }

        PassportTelemetry.Minted.Add(1);
        EnforcementLog.Minted(_logger, minted.AgentId, minted.TokenId, minted.ParentJti);
        return _sink.WriteAsync(auditEvent, cancellationToken);
    }

    // One event object per record: the decision fields are set here rather than through a `with` copy. Claims of a token
    // that did not verify are the caller's text: each is kept only up to a small cap (AuditText), so a denial of a
    // maximum-size token costs a record no larger than any other.
    private PassportAuditEvent Describe(Passport? p, bool verified, PassportAuditEventKind kind, PassportDecision? decision)
    {
        bool trusted = verified && p is not null;
        return new()
        {
            Kind = kind,
            ToolName = AuditText.Bound(decision?.ToolName, AuditText.MaxNameBytes),
            RequiredScope = AuditText.Bound(decision?.RequiredScope, PassportScope.MaxLength),
            ErrorKind = decision?.Error?.Kind,
            ErrorCode = decision?.Error?.Code,
            ChainReason = decision?.Error is { ChainReason: not ChainBrokenReason.None } e ? e.ChainReason : null,
            Timestamp = _time.GetUtcNow(),
            ClaimsVerified = trusted,
            AgentId = trusted ? p!.AgentId : AuditText.Bound(p?.AgentId, AuditText.MaxNameBytes),
            Principal = trusted ? p!.Subject : AuditText.Bound(p?.Subject, AuditText.MaxNameBytes),
            Ial = p?.Ial,
            TokenId = trusted ? p!.TokenId : AuditText.Bound(p?.TokenId, AuditText.MaxIdBytes),
            ParentTokenId = trusted ? p!.ParentJti : AuditText.Bound(p?.ParentJti, AuditText.MaxIdBytes),
            Scopes = p is null ? [] : trusted ? p.ToolScope.ToStrings() : AuditText.BoundScopes(p.ToolScope.ToStrings()),
            Audience = trusted ? p!.Audience : AuditText.Bound(p?.Audience, AuditText.MaxAudienceBytes),
            ExpiresAt = p?.ExpiresAt,
            TaskPurpose = trusted ? p!.TaskPurpose : AuditText.Bound(p?.TaskPurpose, AuditText.MaxNameBytes),
            ProofId = decision?.ProofId,
            HolderThumbprint = decision?.HolderThumbprint,
        };
    }

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
