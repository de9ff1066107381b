namespace AgentPassport;

/// <summary>
/// The JWKS cache shared by <c>OpenIdProviderClient</c> of AgentPassport.Identity (a provider's ID-token keys) and
/// <see cref="RemoteJwksPassportKeyResolver"/> (a Passport issuer's keys): fetches through one <see cref="RemoteJsonClient"/>
/// pipeline, uses the keys for <see cref="JwksCacheSettings.CacheDuration"/>, refreshes at most once per
/// <see cref="JwksCacheSettings.RefreshInterval"/> for an unknown <c>kid</c>, and keeps serving the last good keys while
/// the endpoint fails, up to <see cref="JwksCacheSettings.MaxStaleAge"/>. Thread-safe: one fetch at a time, and callers
/// that waited on a fetch that failed get its error at once instead of queueing for another full timeout each.
/// </summary>
public sealed class JwksKeyCache : IDisposable
{
    private readonly RemoteJsonClient _http;
    private readonly Func<CancellationToken, Task<Uri>> _jwksUri;
    private readonly JwksCacheSettings _settings;
    private readonly TimeProvider _time;
    private readonly SemaphoreSlim _lock = new(1, 1);
    private JwksKeySet? _keys;
    private DateTimeOffset? _failedAt;
    private DateTimeOffset? _unknownKidRefreshAt;
    private FetchFailure? _lastFailure;
    private long _fetches;

    /// <summary>Initializes a cache; nothing is fetched until the first lookup.</summary>
    /// <param name="http">The HTTP pipeline (not owned).</param>
    /// <param name="jwksUri">Where the JWKS is: fixed, or from a discovery document (which may throw a typed error).</param>
    /// <param name="settings">Caching and filtering.</param>
    public JwksKeyCache(RemoteJsonClient http, Func<CancellationToken, Task<Uri>> jwksUri, JwksCacheSettings settings)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(jwksUri);
        ArgumentNullException.ThrowIfNull(settings);
        _http = http;
        _jwksUri = jwksUri;
        _settings = settings;
        _time = settings.TimeProvider;
    }

    /// <summary>Finds the key of <paramref name="keyId"/> (and <paramref name="algorithm"/>, or by kid alone when null).</summary>
    /// <param name="keyId">The token's <c>kid</c>.</param>
    /// <param name="algorithm">The token's <c>alg</c>, or null to find the key by <c>kid</c> alone (when only one algorithm is bound to it).</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>The key, or null when the (possibly refreshed, possibly stale) JWKS has none; and the number of usable keys.</returns>
    /// <exception cref="AgentPassportException"><see cref="PassportErrorKind.JwksError"/> (or the discovery error) when no servable keys exist.</exception>
    public async Task<(PassportVerificationKey? Key, int Count)> FindAsync(string keyId, string? algorithm, CancellationToken cancellationToken)
    {
        var set = _keys;
        if (set is not null && _time.GetUtcNow() - set.FetchedAt < _settings.CacheDuration)
        {
            if (Lookup(set, keyId, algorithm) is { } key)
            {
                return (key, set.Count);
            }

            // Unknown kid with fresh keys: the issuer may have rotated; refresh at most once per interval.
            set = await RefreshAsync(set, rateLimited: true, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            set = await RefreshAsync(set, rateLimited: false, cancellationToken).ConfigureAwait(false);
        }

        return (Lookup(set, keyId, algorithm), set.Count);
    }

    /// <summary>Gets every usable key, from the cache while it is fresh.</summary>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>The keys (a JWK without <c>alg</c> appears once per allowed algorithm of its type).</returns>
    /// <exception cref="AgentPassportException"><see cref="PassportErrorKind.JwksError"/> (or the discovery error) when no servable keys exist.</exception>
    public async Task<IReadOnlyList<PassportVerificationKey>> GetKeysAsync(CancellationToken cancellationToken)
    {
        var set = _keys;
        if (set is null || _time.GetUtcNow() - set.FetchedAt >= _settings.CacheDuration)
        {
            set = await RefreshAsync(set, rateLimited: false, cancellationToken).ConfigureAwait(false);
        }

        return [.. set.Keys];
    }

    /// <inheritdoc />
    public void Dispose() => _lock.Dispose();

    private static PassportVerificationKey? Lookup(JwksKeySet set, string keyId, string? algorithm) =>
        algorithm is null ? set.Find(keyId) : set.Find(keyId, algorithm);

    private async Task<JwksKeySet> RefreshAsync(JwksKeySet? seen, bool rateLimited, CancellationToken cancellationToken)
    {
        long fetchesBefore = Interlocked.Read(ref _fetches);
        await _lock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var current = _keys;
            var now = _time.GetUtcNow();

            // Another caller refreshed while this one waited.
            if (current is not null && !ReferenceEquals(current, seen))
            {
                return current;
            }

            bool servable = current is not null && now - current.FetchedAt <= _settings.MaxStaleAge;

            // Another caller's fetch failed while this one waited and nothing can serve: share its error rather than
            // wait out another full timeout (N queued callers would otherwise take N timeouts).
            if (!servable && _lastFailure is { } failure && failure.Fetch != fetchesBefore)
            {
                throw AgentPassportException.Create(failure.Error.Kind, failure.Error.Message, failure.Error);
            }

            if (rateLimited)
            {
                // At most one unknown-kid refresh per interval, so tokens with made-up kids cannot flood the endpoint.
                if (_unknownKidRefreshAt is { } last && now - last < _settings.RefreshInterval)
                {
                    return current!;
                }

                _unknownKidRefreshAt = now;
            }
            else if (servable && _failedAt is { } failedAt && now - failedAt < _settings.RefreshInterval)
            {
                // The last refresh failed recently: keep serving the stale keys without waiting on the endpoint again.
                return current!;
            }

            try
            {
                var fresh = await FetchAsync(cancellationToken).ConfigureAwait(false);
                _keys = fresh;
                _failedAt = null;
                _lastFailure = null;
                Interlocked.Increment(ref _fetches);
                return fresh;
            }
            catch (AgentPassportException ex)
            {
                _failedAt = _time.GetUtcNow();
                _lastFailure = new FetchFailure(ex, Interlocked.Increment(ref _fetches));
                if (servable)
                {
                    return current!;
                }

                throw;
            }
        }
        finally
        {
            _lock.Release();
        }
    }

    private async Task<JwksKeySet> FetchAsync(CancellationToken cancellationToken)
    {
        var url = await _jwksUri(cancellationToken).ConfigureAwait(false);
        using var doc = await _http.GetJsonObjectAsync(url, PassportErrorKind.JwksError, "JWKS", cancellationToken).ConfigureAwait(false);
        return JwksKeySet.Read(doc.RootElement, _settings.AllowedAlgorithms, _time.GetUtcNow(), _settings.RequireThumbprintKid)
            ?? throw AgentPassportException.Create(PassportErrorKind.JwksError, $"JWKS {url} failed: not a valid JWKS (no 'keys' array)");
    }

    /// <summary>The last failed fetch and its sequence number, in one reference so it is read whole.</summary>
    private sealed record FetchFailure(AgentPassportException Error, long Fetch);
}
