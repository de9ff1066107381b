namespace AgentPassport;

/// <summary>
/// Trusts a Passport issuer by its JWKS URL (spec §7): a remote verifier fetches the issuer's public keys over HTTP and
/// resolves each token's <c>kid</c> against them, exactly (never "try every key"). Thread-safe; create one per issuer
/// and share it.
/// </summary>
/// <remarks>
/// Only verification keys whose <c>kid</c> is their RFC 7638 thumbprint are kept; lookup is by exact <c>kid</c>. An
/// unknown <c>kid</c> returns null (<see cref="PassportErrorKind.KeyNotFound"/>); an unreachable JWKS with no keys young
/// enough to serve throws <see cref="AgentPassportException"/> of kind <see cref="PassportErrorKind.JwksError"/>. Either
/// way the token is refused. Caching, retries and the stale-serving bound: docs/identity.md, "Trusting a Passport issuer
/// by its JWKS URL".
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
