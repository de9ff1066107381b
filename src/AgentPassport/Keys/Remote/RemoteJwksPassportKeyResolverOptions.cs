namespace AgentPassport;

/// <summary>
/// Configures a <see cref="RemoteJwksPassportKeyResolver"/>: the Passport issuer's JWKS URL, the HTTP resilience
/// (per-attempt timeout, retry with jitter, circuit breaker) and how long keys are cached. Checked when the resolver is built.
/// </summary>
public sealed class RemoteJwksPassportKeyResolverOptions
{
    /// <summary>Gets or sets the JWKS URL of the trusted Passport issuer (for example the output of <c>keys jwks</c> served over HTTPS).</summary>
    /// <value>Required. HTTPS, or HTTP on a loopback host only; no fragment.</value>
    public Uri? JwksUrl { get; set; }

    /// <summary>Gets or sets the HTTP client to use. When null the resolver creates one (no redirects), owns it and disposes it.</summary>
    /// <value>Default null.</value>
    public HttpClient? HttpClient { get; set; }

    /// <summary>Gets or sets the clock for caches, timeouts, retry delays and the circuit breaker.</summary>
    /// <value>Default <see cref="TimeProvider.System"/>.</value>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>Gets or sets the timeout of one HTTP attempt. A verification waits at most about (<see cref="MaxRetries"/> + 1) times this.</summary>
    /// <value>Default 2 seconds; 10 ms .. 5 min.</value>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Gets or sets how many times a transient failure (5xx, 408, 429, timeout, refused connection) is retried.</summary>
    /// <value>Default 1; 0 .. 10.</value>
    public int MaxRetries { get; set; } = 1;

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

    /// <summary>Gets or sets how long a fetched JWKS is used before it is fetched again.</summary>
    /// <value>Default 10 minutes; positive, at most 1 day.</value>
    public TimeSpan CacheDuration { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>
    /// Gets or sets the shortest interval between two JWKS fetches caused by an unknown <c>kid</c> (and between two retries
    /// of a failed refresh while stale keys serve). Tokens with unknown key ids in between are refused without a fetch.
    /// </summary>
    /// <value>Default 30 seconds; positive, at most 1 day.</value>
    public TimeSpan RefreshInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Gets or sets the oldest a JWKS may be and still be used while the endpoint cannot be reached. Past this age a
    /// fetch failure is reported (<see cref="PassportErrorKind.JwksError"/>) instead. Zero: never serve stale keys.
    /// </summary>
    /// <value>Default 1 hour; 0 .. 1 day.</value>
    public TimeSpan MaxStaleAge { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Gets or sets the algorithms whose keys are kept. <c>none</c> and <c>HS*</c> are never allowed.</summary>
    /// <value>Default ES256, RS256, PS256.</value>
    public IReadOnlyList<string> AllowedAlgorithms { get; set; } =
        [PassportAlgorithms.ES256, PassportAlgorithms.RS256, PassportAlgorithms.PS256];

    /// <summary>Gets or sets the largest JWKS body accepted.</summary>
    /// <value>Default 256 KiB; 1 KiB .. 16 MiB.</value>
    public int MaxResponseBytes { get; set; } = 256 * 1024;

    internal RemoteJsonClientSettings HttpSettings => new(HttpClient, TimeProvider, RequestTimeout, MaxRetries, RetryBaseDelay,
        CircuitBreakerMinimumThroughput, CircuitBreakerSamplingDuration, CircuitBreakerBreakDuration, MaxResponseBytes);

    internal JwksCacheSettings CacheSettings => new(TimeProvider, CacheDuration, RefreshInterval, MaxStaleAge, [.. AllowedAlgorithms], RequireThumbprintKid: true);

    internal void Validate()
    {
        if (JwksUrl is null)
        {
            throw new ArgumentException("RemoteJwksPassportKeyResolverOptions.JwksUrl is required.", nameof(JwksUrl));
        }

        if (!JwksUrl.IsAbsoluteUri || !RemoteUrls.IsAllowedEndpoint(JwksUrl) || !string.IsNullOrEmpty(JwksUrl.Fragment))
        {
            throw new ArgumentException($"The JWKS URL '{JwksUrl}' must be an absolute https URL (http only on a loopback host) without a fragment.", nameof(JwksUrl));
        }

        HttpSettings.Validate();
        RemoteJsonClientSettings.Check(CacheDuration, TimeSpan.FromTicks(1), TimeSpan.FromDays(1), nameof(CacheDuration));
        RemoteJsonClientSettings.Check(RefreshInterval, TimeSpan.FromTicks(1), TimeSpan.FromDays(1), nameof(RefreshInterval));
        RemoteJsonClientSettings.Check(MaxStaleAge, TimeSpan.Zero, TimeSpan.FromDays(1), nameof(MaxStaleAge));
        RemoteUrls.CheckAlgorithms(AllowedAlgorithms, nameof(AllowedAlgorithms));
    }
}
