namespace AgentPassport;

/// <summary>
/// Writes revocations to a store and records each as a <see cref="PassportAuditEventKind.Revoked"/> audit event (never
/// a token). Revoking a Passport revokes every Passport delegated from it: verification checks every link.
/// </summary>
public sealed class PassportRevoker
{
    private readonly TimeProvider _time;

    /// <summary>Initializes a revoker.</summary>
    /// <param name="store">Where revocations go.</param>
    /// <param name="auditSink">Where revocation events go; none when null.</param>
    /// <param name="timeProvider">The clock for event timestamps; <see cref="TimeProvider.System"/> when null.</param>
    public PassportRevoker(IRevocationStore store, IPassportAuditSink? auditSink = null, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        Store = store;
        AuditSink = auditSink;
        _time = timeProvider ?? TimeProvider.System;
    }

    /// <summary>Gets the store.</summary>
    public IRevocationStore Store { get; }

    /// <summary>Gets the audit sink, if any.</summary>
    public IPassportAuditSink? AuditSink { get; }

    /// <summary>Revokes <paramref name="passport"/> and all its descendants until it expires.</summary>
    /// <param name="passport">The Passport's claims (verified, or decoded from a token the caller holds).</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>The entry written.</returns>
    /// <exception cref="AgentPassportException">The store could not be written.</exception>
    public async ValueTask<RevocationEntry> RevokeAsync(Passport passport, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(passport);
        var entry = RevocationEntry.ForPassport(passport);
        await Store.RevokeAsync(entry, cancellationToken).ConfigureAwait(false);
        await AuditAsync(entry, passport, cancellationToken).ConfigureAwait(false);
        return entry;
    }

    /// <summary>Writes <paramref name="entry"/> (a <c>jti</c>, principal or agent revocation).</summary>
    /// <param name="entry">The revocation.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>A task that completes when the entry is stored and recorded.</returns>
    /// <exception cref="AgentPassportException">The store could not be written.</exception>
    public async ValueTask RevokeAsync(RevocationEntry entry, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entry);
        await Store.RevokeAsync(entry, cancellationToken).ConfigureAwait(false);
        await AuditAsync(entry, null, cancellationToken).ConfigureAwait(false);
    }

    private ValueTask AuditAsync(RevocationEntry entry, Passport? passport, CancellationToken cancellationToken)
    {
        if (AuditSink is null)
        {
            return ValueTask.CompletedTask;
        }

        var auditEvent = new PassportAuditEvent
        {
            Kind = PassportAuditEventKind.Revoked,
            Timestamp = _time.GetUtcNow(),
            ClaimsVerified = false,
            RevocationKind = entry.Kind,
            RevokedBefore = entry.Before,
            TokenId = entry.Kind == RevocationEntryKind.TokenId ? entry.Value : null,
            Principal = entry.Kind == RevocationEntryKind.Subject ? entry.Value : passport?.Subject,
            AgentId = entry.Kind == RevocationEntryKind.Agent ? entry.Value : passport?.AgentId,
            ParentTokenId = passport?.ParentJti,
            Audience = passport?.Audience,
            ExpiresAt = passport?.ExpiresAt,
        };
        return AuditSink.WriteAsync(auditEvent, cancellationToken);
    }
}
