namespace AgentPassport;

/// <summary>
/// Trusts a Passport issuer by its JWKS URL (spec §7): a remote verifier fetches the issuer's public keys over HTTP and
/// resolves each token's <c>kid</c> against them, exactly (never "try every key"). Thread-safe; create one per issuer
/// and share it.
/// </summary>
/// <remarks>
/// <para>
/// It runs on the same HTTP pipeline and JWKS cache as <c>OpenIdProviderClient</c> (AgentPassport.Identity): a per-attempt timeout, retry
/// with jitter on transient failures, a circuit breaker, all on the injected <see cref="TimeProvider"/>; keys are used
/// for <see cref="RemoteJwksPassportKeyResolverOptions.CacheDuration"/>; an unknown <c>kid</c> causes at most one fetch
/// per <see cref="RemoteJwksPassportKeyResolverOptions.RefreshInterval"/> (so a rotation is picked up at once, and made-up
/// kids cannot flood the issuer); the last good keys keep serving while the endpoint fails, up to
/// <see cref="RemoteJwksPassportKeyResolverOptions.MaxStaleAge"/>.
/// </para>
/// <para>
/// Keys are kept only when <c>use</c> is absent or <c>sig</c>, <c>key_ops</c> is absent or includes <c>verify</c>, the
/// algorithm is allowed and fits the key type, and the <c>kid</c> is the key's RFC 7638 thumbprint (as
/// <see cref="Jwks.Import"/> requires). A JWK without <c>alg</c> that fits several allowed algorithms (RSA) is not found by
/// <c>kid</c> alone; publish <c>alg</c> (<see cref="Jwks.Export"/> always does).
/// </para>
/// <para>
/// Failures: an unknown <c>kid</c> returns null (the verifier reports <see cref="PassportErrorKind.KeyNotFound"/>). When
/// the JWKS cannot be fetched (down, slow, HTTP errors, not JSON, not a JWKS) and no keys young enough to serve are
/// cached, <see cref="FindKeyAsync"/> throws an <see cref="AgentPassportException"/> of kind
/// <see cref="PassportErrorKind.JwksError"/> naming the URL and the cause; <see cref="PassportVerifier"/> returns it as the
/// verification's typed error, so the caller can tell "the issuer's keys are unreachable" from "no such key". Either way
/// the token is refused.
/// </para>
/// </remarks>
public sealed class RemoteJwksPassportKeyResolver : IPassportKeyResolver, IDisposable
{
    private readonly RemoteJsonClient _http;
    private readonly JwksKeyCache _cache;

    /// <summary>Initializes a resolver; nothing is fetched until the first lookup.</summary>
    /// <param name="options">The configuration; checked now.</param>
    /// <exception cref="ArgumentException">An option is missing or out of range.</exception>
    public RemoteJwksPassportKeyResolver(RemoteJwksPassportKeyResolverOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        JwksUrl = options.JwksUrl!;
        _http = new RemoteJsonClient(options.HttpSettings);
        var url = JwksUrl;
        _cache = new JwksKeyCache(_http, _ => Task.FromResult(url), options.CacheSettings);
    }

    /// <summary>Gets the JWKS URL.</summary>
    public Uri JwksUrl { get; }

    /// <summary>Finds the issuer's key whose <c>kid</c> is exactly <paramref name="keyId"/>, refreshing the JWKS when it is unknown (rate-limited).</summary>
    /// <param name="keyId">The <c>kid</c> from the token header.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>The key, or null when the issuer's JWKS has no usable key with that id.</returns>
    /// <exception cref="AgentPassportException"><see cref="PassportErrorKind.JwksError"/>: the JWKS cannot be fetched and no cached keys may serve.</exception>
    public async ValueTask<PassportVerificationKey?> FindKeyAsync(string keyId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(keyId);
        var (key, _) = await _cache.FindAsync(keyId, null, cancellationToken).ConfigureAwait(false);
        return key;
    }

    /// <summary>Gets the usable keys, from the cache while it is fresh.</summary>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>The keys.</returns>
    /// <exception cref="AgentPassportException"><see cref="PassportErrorKind.JwksError"/>: the JWKS cannot be fetched and no cached keys may serve.</exception>
    public async Task<IReadOnlyList<PassportVerificationKey>> GetKeysAsync(CancellationToken cancellationToken = default)
    {
        return await _cache.GetKeysAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _cache.Dispose();
        _http.Dispose();
    }
}
