namespace AgentPassport;

/// <summary>How a <see cref="JwksKeyCache"/> caches, refreshes and filters keys.</summary>
/// <param name="TimeProvider">The clock for ages and intervals.</param>
/// <param name="CacheDuration">How long a fetched JWKS is used before it is fetched again.</param>
/// <param name="RefreshInterval">The shortest interval between two unknown-kid refreshes, and between two retries of a failed refresh while stale keys serve.</param>
/// <param name="MaxStaleAge">The oldest a JWKS may be and still serve while the endpoint fails.</param>
/// <param name="AllowedAlgorithms">The algorithms whose keys are kept.</param>
/// <param name="RequireThumbprintKid">Passport issuer JWKS: a key's <c>kid</c> must be its RFC 7638 thumbprint (a missing <c>kid</c> is the thumbprint).</param>
public sealed record JwksCacheSettings(
    TimeProvider TimeProvider,
    TimeSpan CacheDuration,
    TimeSpan RefreshInterval,
    TimeSpan MaxStaleAge,
    IReadOnlyList<string> AllowedAlgorithms,
    bool RequireThumbprintKid);
