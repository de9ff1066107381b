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
    /// Mints a root Passport bound to <paramref name="holderKey"/> (spec v1.1 §11) and returns the agent's context holding
    /// that key, so each of its calls carries a proof signed by it.
    /// </summary>
    /// <param name="request">What to grant; its <see cref="RootPassportRequest.HolderThumbprint"/> is set to the key's.</param>
    /// <param name="holderKey">The agent's holder key; the caller keeps ownership.</param>
    /// <param name="cancellationToken">Cancels the audit write.</param>
    /// <returns>The new agent's context, with <see cref="PassportContext.HolderKey"/> set.</returns>
    /// <exception cref="AgentPassportException">The issuer refused the request.</exception>
    public async ValueTask<PassportContext> IssueRootAsync(RootPassportRequest request, PassportHolderKey holderKey, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(holderKey);
        var context = await IssueRootAsync(request with { HolderThumbprint = holderKey.Thumbprint }, cancellationToken).ConfigureAwait(false);
        return context.WithHolderKey(holderKey);
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
    /// <remarks>
    /// Holder binding (spec v1.1 §11): when the parent context holds its <see cref="PassportContext.HolderKey"/>, the
    /// delegation proof is signed with it, and the child is bound to a new ES256 key generated for the sub-agent (unless
    /// the request names one in <see cref="DelegationRequest.HolderThumbprint"/>), which the returned context holds.
    /// A parent bound to a key held elsewhere needs <see cref="DelegationRequest.ParentProof"/>.
    /// </remarks>
    public ValueTask<PassportContext> DelegateAsync(PassportContext parent, DelegationRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(parent);
        ArgumentNullException.ThrowIfNull(request);
        return parent.HolderKey is not null && request.HolderThumbprint is null
            ? DelegateAsync(parent, request, PassportHolderKey.Generate(), cancellationToken)
            : DelegateCoreAsync(parent, request, null, cancellationToken);
    }

    /// <summary>Mints a child Passport bound to the sub-agent's own <paramref name="childKey"/> and returns its context holding that key.</summary>
    /// <param name="parent">The delegating agent's context.</param>
    /// <param name="request">What to grant; its <see cref="DelegationRequest.HolderThumbprint"/> is set to the key's.</param>
    /// <param name="childKey">The sub-agent's holder key; the caller keeps ownership.</param>
    /// <param name="cancellationToken">Cancels a key lookup or the audit write.</param>
    /// <returns>The sub-agent's context, with <see cref="PassportContext.HolderKey"/> set.</returns>
    /// <exception cref="AgentPassportException">As <see cref="DelegateAsync(PassportContext, DelegationRequest, CancellationToken)"/>.</exception>
    public ValueTask<PassportContext> DelegateAsync(PassportContext parent, DelegationRequest request, PassportHolderKey childKey, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(parent);
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(childKey);
        return DelegateCoreAsync(parent, request with { HolderThumbprint = childKey.Thumbprint }, childKey, cancellationToken);
    }

    private async ValueTask<PassportContext> DelegateCoreAsync(PassportContext parent, DelegationRequest request, PassportHolderKey? childKey, CancellationToken cancellationToken)
    {
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
            // A parent agent running in this process proves possession of its key itself (spec v1.1 §11).
            if (request.ParentProof is null && parent.HolderKey is { } parentKey && verified.Passport.Passport.IsHolderBound)
            {
                request = request with { ParentProof = PassportProof.Create(parentKey, _issuer.IssuerUrl, parent.Token, PassportProof.DelegateOperation, timeProvider: _authorizer.TimeProvider) };
            }

            child = await _issuer.DelegateAsync(verified.Passport, request, cancellationToken).ConfigureAwait(false);
        }
        catch (AgentPassportException refused)
        {
            await _authorizer.RecordDeniedAsync(parent, action, refused.Error, verified.Passport, cancellationToken: cancellationToken).ConfigureAwait(false);
            throw;
        }

        await _authorizer.RecordMintedAsync(child.Passport, cancellationToken).ConfigureAwait(false);
        var context = PassportContext.From(child, request.Audience);
        return childKey is null ? context : context.WithHolderKey(childKey);
    }
}
