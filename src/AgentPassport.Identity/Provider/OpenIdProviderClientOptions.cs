namespace AgentPassport;

/// <summary>
/// Configures an <see cref="OpenIdProviderClient"/>: where the provider is, the HTTP resilience (timeout, retry with
/// jitter, circuit breaker) and how long discovery and keys are cached. Values are checked when the client is built.
/// </summary>
public sealed class OpenIdProviderClientOptions
{
    /// <summary>The path every OpenID discovery URL ends with (OpenID Connect Discovery 1.0 §4).</summary>
    public const string WellKnownPath = "/.well-known/openid-configuration";

    /// <summary>Gets or sets the discovery URL (<c>CSP_DISCOVERY_URL</c>): the issuer followed by <see cref="WellKnownPath"/>.</summary>
    /// <value>Required. HTTPS, or HTTP on a loopback host only.</value>
    public Uri? DiscoveryUrl { get; set; }

    /// <summary>Gets or sets the HTTP client to use. When null the client creates one, owns it and disposes it.</summary>
    /// <value>Default null.</value>
    public HttpClient? HttpClient { get; set; }

    /// <summary>Gets or sets the clock for caches, timeouts, retry delays and the circuit breaker.</summary>
    /// <value>Default <see cref="TimeProvider.System"/>.</value>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>Gets or sets the timeout of one HTTP attempt.</summary>
    /// <value>Default 5 seconds; 10 ms .. 5 min.</value>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Gets or sets how many times a transient failure (5xx, 408, 429, timeout, refused connection) is retried.</summary>
    /// <value>Default 2; 0 .. 10.</value>
    public int MaxRetries { get; set; } = 2;

    /// <summary>Gets or sets the base delay between retries; it grows exponentially with jitter.</summary>
    /// <value>Default 200 ms; 0 .. 30 s.</value>
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>Gets or sets how many requests in <see cref="CircuitBreakerSamplingDuration"/> must have run before the breaker may open.</summary>
    /// <value>Default 6; at least 2.</value>
    public int CircuitBreakerMinimumThroughput { get; set; } = 6;

    /// <summary>Gets or sets the window over which the failure ratio (50 %) is measured.</summary>
    /// <value>Default 30 seconds; at least 500 ms.</value>
    public TimeSpan CircuitBreakerSamplingDuration { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Gets or sets how long the breaker stays open (failing fast) before it lets a trial request through.</summary>
    /// <value>Default 15 seconds; at least 500 ms.</value>
    public TimeSpan CircuitBreakerBreakDuration { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>Gets or sets how long a discovery document is used before it is fetched again.</summary>
    /// <value>Default 1 hour; positive.</value>
    public TimeSpan DiscoveryCacheDuration { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Gets or sets how long a fetched JWKS is used before it is fetched again.</summary>
    /// <value>Default 10 minutes; positive.</value>
    public TimeSpan JwksCacheDuration { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>
    /// Gets or sets the shortest interval between two JWKS fetches caused by an unknown <c>kid</c>. Tokens with
    /// unknown key ids in between are refused without contacting the provider, so they cannot flood it.
    /// </summary>
    /// <value>Default 30 seconds; positive.</value>
    public TimeSpan JwksRefreshInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Gets or sets the oldest a discovery document or JWKS may be and still be used while the provider cannot be
    /// reached. Past this age a fetch failure is reported instead.
    /// </summary>
    /// <value>Default 1 hour; at least the cache durations and at most 24 hours.</value>
    public TimeSpan MaxStaleAge { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Gets or sets the JWS algorithms whose keys are kept from the JWKS. <c>none</c> and <c>HS*</c> are never allowed.</summary>
    /// <value>Default RS256, ES256, PS256.</value>
    public IReadOnlyList<string> AllowedAlgorithms { get; set; } =
        [PassportAlgorithms.RS256, PassportAlgorithms.ES256, PassportAlgorithms.PS256];

    /// <summary>Gets or sets the largest response body accepted from the provider.</summary>
    /// <value>Default 1 MiB; 1 KiB .. 16 MiB.</value>
    public int MaxResponseBytes { get; set; } = 1024 * 1024;

    /// <summary>Gets the issuer the discovery document must name: the discovery URL without <see cref="WellKnownPath"/>.</summary>
    internal string ExpectedIssuer { get; private set; } = string.Empty;

    internal RemoteJsonClientSettings HttpSettings => new(HttpClient, TimeProvider, RequestTimeout, MaxRetries, RetryBaseDelay,
        CircuitBreakerMinimumThroughput, CircuitBreakerSamplingDuration, CircuitBreakerBreakDuration, MaxResponseBytes);

    internal JwksCacheSettings JwksSettings => new(TimeProvider, JwksCacheDuration, JwksRefreshInterval, MaxStaleAge, AllowedAlgorithms, RequireThumbprintKid: false);

    internal void Validate()
    {
        if (DiscoveryUrl is null)
        {
            throw new ArgumentException("OpenIdProviderClientOptions.DiscoveryUrl is required (CSP_DISCOVERY_URL).", nameof(DiscoveryUrl));
        }

        if (!DiscoveryUrl.IsAbsoluteUri || !RemoteUrls.IsAllowedEndpoint(DiscoveryUrl))
        {
            throw new ArgumentException($"The discovery URL '{DiscoveryUrl}' must be an absolute https URL (http only on a loopback host).", nameof(DiscoveryUrl));
        }

        if (!string.IsNullOrEmpty(DiscoveryUrl.Query) || !string.IsNullOrEmpty(DiscoveryUrl.Fragment)
            || !DiscoveryUrl.AbsolutePath.EndsWith(WellKnownPath, StringComparison.Ordinal))
        {
            throw new ArgumentException($"The discovery URL '{DiscoveryUrl}' must end with '{WellKnownPath}' and have no query or fragment.", nameof(DiscoveryUrl));
        }

        HttpSettings.Validate();
        OidcRules.CheckRange(DiscoveryCacheDuration, TimeSpan.FromTicks(1), TimeSpan.FromDays(1), nameof(DiscoveryCacheDuration));
        OidcRules.CheckRange(JwksCacheDuration, TimeSpan.FromTicks(1), TimeSpan.FromDays(1), nameof(JwksCacheDuration));
        OidcRules.CheckRange(JwksRefreshInterval, TimeSpan.FromTicks(1), TimeSpan.FromDays(1), nameof(JwksRefreshInterval));
        OidcRules.CheckRange(MaxStaleAge, TimeSpan.Zero, TimeSpan.FromDays(1), nameof(MaxStaleAge));
        RemoteUrls.CheckAlgorithms(AllowedAlgorithms, nameof(AllowedAlgorithms));
        string url = DiscoveryUrl.GetLeftPart(UriPartial.Path);
        ExpectedIssuer = url[..^WellKnownPath.Length];
    }
}
