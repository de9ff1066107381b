namespace AgentPassport;

/// <content>Audit records made outside <see cref="AuthorizeAsync"/>: mints, refusals elsewhere, unknown tools.</content>
public sealed partial class PassportAuthorizer
{
    /// <summary>Records that a Passport was minted (issuers and delegation services call this).</summary>
    /// <param name="minted">The minted Passport's claims.</param>
    /// <param name="cancellationToken">Cancels the audit write.</param>
    /// <returns>A task that completes when the event is recorded.</returns>
    public ValueTask RecordMintedAsync(Passport minted, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(minted);
        return _auditor.MintedAsync(minted, cancellationToken);
    }

    /// <summary>Records a refusal that happened outside <see cref="AuthorizeAsync"/> (for example a refused delegation).</summary>
    /// <param name="context">The acting agent's context, if any.</param>
    /// <param name="action">What was refused, for the audit record.</param>
    /// <param name="error">Why.</param>
    /// <param name="verified">The acting agent's verified Passport, when it verified (so the record carries verified claims).</param>
    /// <param name="requiredScope">The scope the refused action required, when known (recorded and shown in the denial).</param>
    /// <param name="cancellationToken">Cancels the audit write.</param>
    /// <returns>The recorded denial.</returns>
    public async ValueTask<PassportDecision> RecordDeniedAsync(PassportContext? context, string action, PassportError error, VerifiedPassport? verified = null, string? requiredScope = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(action);
        ArgumentNullException.ThrowIfNull(error);
        var decision = PassportDecision.Deny(action, requiredScope, error, verified);
        await _auditor.DecisionAsync(decision, context, cancellationToken).ConfigureAwait(false);
        return decision;
    }

    /// <summary>
    /// Records a call to a tool the host does not have (an <see cref="PassportAuditEventKind.UnknownTool"/> event, after
    /// the lookup, never an allow or deny of a known tool). The context, when given, is verified only to name the caller
    /// with verified claims; the call is refused either way.
    /// </summary>
    /// <param name="context">The caller's context, if any.</param>
    /// <param name="toolName">The name the caller asked for (its text is bounded in the record and escaped when rendered).</param>
    /// <param name="cancellationToken">Cancels a remote key lookup or the audit write.</param>
    /// <returns>The recorded denial.</returns>
    public async ValueTask<PassportDecision> RecordUnknownToolAsync(PassportContext? context, string toolName, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(toolName);
        VerifiedPassport? verified = null;
        if (context is not null)
        {
            var result = await ValidateAsync(context, cancellationToken).ConfigureAwait(false);
            verified = result.Succeeded ? result.Passport : null;
        }

        var decision = PassportDecision.Deny(toolName, null, new PassportError(PassportErrorKind.NoScopeRequirement, "no tool of that name exists here"), verified);
        await _auditor.DecisionAsync(decision, context, cancellationToken, PassportAuditEventKind.UnknownTool).ConfigureAwait(false);
        return decision;
    }
}
