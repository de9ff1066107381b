using System.Text.Json;

namespace AgentPassport;

/// <summary>
/// Reads an OpenID provider's discovery document and signing keys (JWKS) over HTTP, behind a resilience pipeline
/// (per-attempt timeout, retry with jitter on transient failures, circuit breaker) that runs on the injected
/// <see cref="TimeProvider"/>. Discovery and keys are cached; an unknown <c>kid</c> causes at most one JWKS fetch per
/// <see cref="OpenIdProviderClientOptions.JwksRefreshInterval"/>; the last good document and keys keep serving while
/// the provider is briefly unreachable, up to <see cref="OpenIdProviderClientOptions.MaxStaleAge"/>. Thread-safe.
/// </summary>
/// <remarks>
/// Failures are <see cref="AgentPassportException"/>s of kind <see cref="PassportErrorKind.DiscoveryError"/>,
/// <see cref="PassportErrorKind.JwksError"/> or <see cref="PassportErrorKind.KeyNotFound"/>, with a message naming the URL and the cause.
/// </remarks>
public sealed class OpenIdProviderClient : IDisposable
{
    private readonly OpenIdProviderClientOptions _options;
    private readonly RemoteJsonClient _http;
    private readonly TimeProvider _time;
    private readonly SemaphoreSlim _discoveryLock = new(1, 1);
    private readonly JwksKeyCache _keys;
    private CachedMetadata? _metadata;
    private DateTimeOffset? _discoveryFailedAt;

    /// <summary>Initializes a client; nothing is fetched until first needed.</summary>
    /// <param name="options">The configuration; checked now.</param>
    public OpenIdProviderClient(OpenIdProviderClientOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _options = options;
        _time = options.TimeProvider;
        _http = new RemoteJsonClient(options.HttpSettings);
        _keys = new JwksKeyCache(_http, async ct => (await GetMetadataAsync(ct).ConfigureAwait(false)).JwksUri, options.JwksSettings);
    }

    /// <summary>Gets the discovery URL.</summary>
    public Uri DiscoveryUrl => _options.DiscoveryUrl!;

    /// <summary>Gets the issuer the provider must declare: the discovery URL without <c>/.well-known/openid-configuration</c>.</summary>
    public string ExpectedIssuer => _options.ExpectedIssuer;

    /// <summary>Gets the JWS algorithms whose keys are used.</summary>
    public IReadOnlyList<string> AllowedAlgorithms => _options.AllowedAlgorithms;

    /// <summary>Gets the clock.</summary>
    public TimeProvider TimeProvider => _time;

    internal HttpClient HttpClient => _http.Client;

    internal TimeSpan RequestTimeout => _options.RequestTimeout;

    /// <summary>Gets the provider metadata, from the cache while it is fresh.</summary>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>The metadata.</returns>
    /// <exception cref="AgentPassportException"><see cref="PassportErrorKind.DiscoveryError"/>: unreachable, slow, not JSON, wrong issuer, no <c>jwks_uri</c>.</exception>
    public async Task<OpenIdProviderMetadata> GetMetadataAsync(CancellationToken cancellationToken = default)
    {
        if (Fresh(_metadata, _options.DiscoveryCacheDuration) is { } fresh)
        {
            return fresh;
        }

        await _discoveryLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var cached = _metadata;
            if (Fresh(cached, _options.DiscoveryCacheDuration) is { } refreshed)
            {
                return refreshed;
            }

            var now = _time.GetUtcNow();
            bool servable = cached is not null && now - cached.FetchedAt <= _options.MaxStaleAge;

            // While the provider is down, serve the stale document and retry only once per refresh interval.
            if (servable && _discoveryFailedAt is { } failedAt && now - failedAt < _options.JwksRefreshInterval)
            {
                return cached!.Metadata;
            }

            try
            {
                var metadata = await FetchMetadataAsync(cancellationToken).ConfigureAwait(false);
                _metadata = new CachedMetadata(metadata, _time.GetUtcNow());
                _discoveryFailedAt = null;
                return metadata;
            }
            catch (AgentPassportException) when (servable)
            {
                _discoveryFailedAt = _time.GetUtcNow();
                return cached!.Metadata;
            }
        }
        finally
        {
            _discoveryLock.Release();
        }
    }

    /// <summary>Finds the provider's signing key with exactly this <c>kid</c> and algorithm; never "tries every key".</summary>
    /// <param name="keyId">The JWS header <c>kid</c>.</param>
    /// <param name="algorithm">The JWS header <c>alg</c>.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>The key.</returns>
    /// <exception cref="AgentPassportException">
    /// <see cref="PassportErrorKind.AlgorithmNotAllowed"/>, <see cref="PassportErrorKind.KeyNotFound"/> (no such key, even after the
    /// rate-limited refresh), <see cref="PassportErrorKind.JwksError"/> or <see cref="PassportErrorKind.DiscoveryError"/>.
    /// </exception>
    public async Task<PassportVerificationKey> GetSigningKeyAsync(string keyId, string algorithm, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(keyId);
        ArgumentNullException.ThrowIfNull(algorithm);
        if (!_options.AllowedAlgorithms.Contains(algorithm))
        {
            throw AgentPassportException.Create(PassportErrorKind.AlgorithmNotAllowed,
                $"the algorithm '{RemoteUrls.Clip(algorithm, 20)}' is not allowed (allowed: {string.Join(", ", _options.AllowedAlgorithms)})");
        }

        var (key, count) = await _keys.FindAsync(keyId, algorithm, cancellationToken).ConfigureAwait(false);
        return key ?? throw AgentPassportException.Create(PassportErrorKind.KeyNotFound,
            $"no {algorithm} signing key with kid '{RemoteUrls.Clip(keyId, 60)}' in the JWKS of {ExpectedIssuer} ({count} usable key(s))");
    }

    /// <summary>Gets every usable signing key, from the cache while it is fresh.</summary>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>The keys (a JWK without <c>alg</c> appears once per allowed algorithm of its type).</returns>
    /// <exception cref="AgentPassportException"><see cref="PassportErrorKind.JwksError"/> or <see cref="PassportErrorKind.DiscoveryError"/>.</exception>
    public async Task<IReadOnlyList<PassportVerificationKey>> GetSigningKeysAsync(CancellationToken cancellationToken = default)
    {
        return await _keys.GetKeysAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _http.Dispose();
        _discoveryLock.Dispose();
        _keys.Dispose();
    }

    private async Task<OpenIdProviderMetadata> FetchMetadataAsync(CancellationToken cancellationToken)
    {
        var url = DiscoveryUrl;
        using var doc = await _http.GetJsonObjectAsync(url, PassportErrorKind.DiscoveryError, "discovery", cancellationToken).ConfigureAwait(false);
        var root = doc.RootElement;
        string? issuer = GetString(root, "issuer");
        if (issuer is null)
        {
            throw Discovery(url, "the document has no 'issuer'");
        }

        if (!string.Equals(issuer, ExpectedIssuer, StringComparison.Ordinal))
        {
            throw Discovery(url, $"the document's issuer '{RemoteUrls.Clip(issuer)}' does not match the discovery URL's issuer '{ExpectedIssuer}'");
        }

        var jwksUri = GetEndpoint(root, "jwks_uri", url) ?? throw Discovery(url, "the document has no 'jwks_uri'");
        var algs = root.TryGetProperty("id_token_signing_alg_values_supported", out var a) && a.ValueKind == JsonValueKind.Array
            ? a.EnumerateArray().Where(e => e.ValueKind == JsonValueKind.String).Select(e => e.GetString()!).ToArray()
            : [];
        return new OpenIdProviderMetadata(issuer, jwksUri)
        {
            AuthorizationEndpoint = GetEndpoint(root, "authorization_endpoint", url),
            TokenEndpoint = GetEndpoint(root, "token_endpoint", url),
            IdTokenSigningAlgorithms = algs,
        };
    }

    private static Uri? GetEndpoint(JsonElement root, string name, Uri discoveryUrl)
    {
        if (!root.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.String
            || !Uri.TryCreate(value.GetString(), UriKind.Absolute, out var uri)
            || !RemoteUrls.IsAllowedEndpoint(uri))
        {
            throw Discovery(discoveryUrl, $"'{name}' is not an https URL (http only on loopback)");
        }

        return uri;
    }

    private static string? GetString(JsonElement obj, string name) =>
        obj.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    private static AgentPassportException Discovery(Uri url, string cause) =>
        AgentPassportException.Create(PassportErrorKind.DiscoveryError, $"discovery {url} failed: {cause}");

    private OpenIdProviderMetadata? Fresh(CachedMetadata? cached, TimeSpan ttl) =>
        cached is not null && _time.GetUtcNow() - cached.FetchedAt < ttl ? cached.Metadata : null;

    /// <summary>A reference type, so readers outside the lock never see a torn value.</summary>
    private sealed record CachedMetadata(OpenIdProviderMetadata Metadata, DateTimeOffset FetchedAt);
}
