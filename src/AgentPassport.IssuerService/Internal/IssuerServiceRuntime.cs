namespace AgentPassport.IssuerService;

/// <summary>
/// What the endpoints share, built once from the checked options: the issuer, and the core's delegator and revoker,
/// whose verifier trusts this issuer's own keys only. Every mint goes through <see cref="PassportDelegator"/>: the
/// service has no second issuance path.
/// </summary>
internal sealed class IssuerServiceRuntime
{
    public IssuerServiceRuntime(PassportIssuerServiceOptions options)
    {
        Issuer = options.ValidatedIssuer();
        Options = options;
        Audiences = [.. options.Audiences];
        RootScopes = ScopeSet.Parse(options.RootScopes);
        var algorithms = Issuer.KeyStore.VerificationKeys.Select(k => k.Algorithm).Append(Issuer.KeyStore.CurrentSigningKey.Algorithm).ToHashSet(StringComparer.Ordinal);
        var verifier = new PassportVerifier(Issuer.KeyStore, options.TimeProvider, PassportVerifier.DefaultCacheCapacity) { Revocations = options.Revocations };
        var policy = new VerificationPolicy(Issuer.IssuerUrl, Issuer.IssuerUrl) { AllowedAlgorithms = algorithms };
        HolderProofs = new PassportProofVerifier(policy, new InMemoryPassportReplayCache(timeProvider: options.TimeProvider), options.TimeProvider);
        Authorizer = new PassportAuthorizer(verifier, new PassportAuthorizerOptions { Policy = policy }, options.AuditSink, options.TimeProvider);
        Delegator = new PassportDelegator(Issuer, Authorizer);
        Revoker = options.Revocations is { } store ? new PassportRevoker(store, options.AuditSink, options.TimeProvider) : null;
        RateLimit = new IssuerRateLimit(options.RequestsPerSecondPerClient);
    }

    public PassportIssuerServiceOptions Options { get; }

    public PassportIssuer Issuer { get; }

    public HashSet<string> Audiences { get; }

    public ScopeSet RootScopes { get; }

    public PassportAuthorizer Authorizer { get; }

    public PassportDelegator Delegator { get; }

    public PassportRevoker? Revoker { get; }

    /// <summary>Checks the proof a holder signs to revoke its bound Passport (op <c>revoke</c>, aud = the issuer URL).</summary>
    public PassportProofVerifier HolderProofs { get; }

    public IssuerRateLimit RateLimit { get; }

    public string EndpointUrl(string path) => Issuer.IssuerUrl.TrimEnd('/') + path;
}
