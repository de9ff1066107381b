namespace AgentPassport;

/// <summary>
/// Mints Passports for agents and records each mint: roots for a first agent, and children for a sub-agent from a parent
/// agent's <see cref="PassportContext"/>. The parent is verified (against the policy for its audience) before a child
/// is minted, and the issuer refuses any widening with <see cref="PassportErrorKind.ScopeAttenuation"/>. Thread-safe.
/// </summary>
public sealed class PassportDelegator
{
    private readonly PassportIssuer _issuer;
    private readonly PassportAuthorizer _authorizer;

    /// <summary>Initializes a delegator.</summary>
    /// <param name="issuer">The issuer that signs the Passports.</param>
    /// <param name="authorizer">The authorizer that verifies parents and records mints and refusals.</param>
    public PassportDelegator(PassportIssuer issuer, PassportAuthorizer authorizer)
    {
        ArgumentNullException.ThrowIfNull(issuer);
        ArgumentNullException.ThrowIfNull(authorizer);
        _issuer = issuer;
        _authorizer = authorizer;
    }

    /// <summary>Mints a root Passport and returns the agent's context (its audience is the request's audience).</summary>
    /// <param name="request">What to grant.</param>
    /// <param name="cancellationToken">Cancels the audit write.</param>
    /// <returns>The new agent's context.</returns>
    /// <exception cref="AgentPassportException">The issuer refused the request.</exception>
    public async ValueTask<PassportContext> IssueRootAsync(RootPassportRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var issued = _issuer.Issue(request);
        await _authorizer.RecordMintedAsync(issued.Passport, cancellationToken).ConfigureAwait(false);
        return PassportContext.From(issued, request.Audience);
    }

    /// <summary>
    /// Mints a child Passport for a sub-agent from the parent agent's context and returns the sub-agent's context
    /// (its audience is the request's audience).
    /// </summary>
    /// <param name="parent">The delegating agent's context.</param>
    /// <param name="request">What to grant; it can only narrow the parent.</param>
    /// <param name="cancellationToken">Cancels a key lookup or the audit write.</param>
    /// <returns>The sub-agent's context.</returns>
    /// <exception cref="AgentPassportException">
    /// The parent does not verify (its error kind), a scope is not covered (<see cref="PassportErrorKind.ScopeAttenuation"/>),
    /// or the issuer refused the request (<see cref="PassportErrorKind.IssuanceRefused"/>). The refusal is recorded.
    /// </exception>
    public async ValueTask<PassportContext> DelegateAsync(PassportContext parent, DelegationRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(parent);
        ArgumentNullException.ThrowIfNull(request);
        string action = $"delegate to {request.AgentId}";
        var verified = await _authorizer.ValidateDelegationParentAsync(parent, cancellationToken).ConfigureAwait(false);
        if (!verified.Succeeded)
        {
            await _authorizer.RecordDeniedAsync(parent, action, verified.Error, null, cancellationToken: cancellationToken).ConfigureAwait(false);
            throw new AgentPassportException(verified.Error);
        }

        IssuedPassport child;
        try
        {
            child = _issuer.Delegate(verified.Passport, request);
        }
        catch (AgentPassportException refused)
        {
            await _authorizer.RecordDeniedAsync(parent, action, refused.Error, verified.Passport, cancellationToken: cancellationToken).ConfigureAwait(false);
            throw;
        }

        await _authorizer.RecordMintedAsync(child.Passport, cancellationToken).ConfigureAwait(false);
        return PassportContext.From(child, request.Audience);
    }
}
