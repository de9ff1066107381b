namespace AgentPassport;

/// <summary>Audit events for tools outside the enforcement path (the <c>agent-passport</c> CLI's <c>issue</c> and <c>delegate</c>).</summary>
public static class PassportAuditEvents
{
    /// <summary>The mint event of a Passport this process just signed.</summary>
    /// <param name="minted">The minted Passport's claims.</param>
    /// <param name="timestamp">When it was minted.</param>
    /// <returns>The event (never the token).</returns>
    public static PassportAuditEvent Minted(Passport minted, DateTimeOffset timestamp)
    {
        ArgumentNullException.ThrowIfNull(minted);
        return new()
        {
            Kind = PassportAuditEventKind.Minted,
            Timestamp = timestamp,
            ClaimsVerified = true,
            AgentId = minted.AgentId,
            Principal = minted.Subject,
            Ial = minted.Ial,
            TokenId = minted.TokenId,
            ParentTokenId = minted.ParentJti,
            Scopes = minted.ToolScope.ToStrings(),
            Audience = minted.Audience,
            ExpiresAt = minted.ExpiresAt,
            TaskPurpose = minted.TaskPurpose,
            Constraints = minted.Constraints.IsEmpty ? null : minted.Constraints.ToJson(),
        };
    }
}
