namespace AgentPassport;

/// <summary>Mints a root Passport straight from an ID token.</summary>
public static class PassportIssuerIdentityExtensions
{
    /// <summary>
    /// Validates <paramref name="idToken"/> with <paramref name="validator"/> and mints a root Passport for the principal
    /// it asserts; the request's <see cref="RootPassportRequest.Identity"/> is replaced by the validated identity.
    /// </summary>
    /// <param name="issuer">The issuer.</param>
    /// <param name="validator">Validates the ID token (for example an <see cref="IdTokenValidator"/>).</param>
    /// <param name="idToken">The ID token.</param>
    /// <param name="request">What to grant: agent id, model, audience, scopes, TTL.</param>
    /// <param name="cancellationToken">Cancels the validation.</param>
    /// <returns>The root Passport.</returns>
    /// <exception cref="AgentPassportException">The ID token is invalid (its validation kind) or the issuance is refused.</exception>
    public static async Task<IssuedPassport> IssueAsync(
        this PassportIssuer issuer,
        IIdentityValidator validator,
        string idToken,
        RootPassportGrant request,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(issuer);
        ArgumentNullException.ThrowIfNull(validator);
        ArgumentNullException.ThrowIfNull(request);
        var identity = await validator.ValidateAsync(idToken, cancellationToken).ConfigureAwait(false);
        return issuer.Issue(request.ToRequest(identity));
    }
}
