namespace AgentPassport.IssuerService;

/// <summary>Configures a <see cref="PassportTokenExchangeClient"/>. Checked when the client is built.</summary>
public sealed class PassportTokenExchangeClientOptions
{
    /// <summary>Gets or sets the issuer URL; the endpoints are <c>{IssuerUrl}/token</c> and <c>{IssuerUrl}/revoke</c>.</summary>
    /// <value>Required. HTTPS, or HTTP on a loopback host only.</value>
    public Uri? IssuerUrl { get; set; }

    /// <summary>Gets or sets the HTTP client. When null the client creates one (no redirects) and disposes it.</summary>
    /// <value>Default null.</value>
    public HttpClient? HttpClient { get; set; }

    /// <summary>Gets or sets how many times a transient failure (no connection, timeout, 5xx, 429) is retried.</summary>
    /// <value>Default 2; 0 .. 10.</value>
    public int MaxRetries { get; set; } = 2;

    /// <summary>Gets or sets the base delay between retries (exponential, with jitter).</summary>
    /// <value>Default 200 ms; 0 .. 30 s.</value>
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>Gets or sets the timeout of one attempt.</summary>
    /// <value>Default 5 s; 10 ms .. 5 min.</value>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Gets or sets the clock of the retry delays and timeouts.</summary>
    /// <value>Default <see cref="TimeProvider.System"/>.</value>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    internal void Validate()
    {
        if (IssuerUrl is null || !IssuerUrl.IsAbsoluteUri || !RemoteJsonClient.IsAllowedUrl(IssuerUrl))
        {
            throw new ArgumentException("PassportTokenExchangeClientOptions.IssuerUrl must be an absolute https URL (http only on a loopback host).", nameof(IssuerUrl));
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(MaxRetries, 0, nameof(MaxRetries));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(MaxRetries, 10, nameof(MaxRetries));
        if (RetryBaseDelay < TimeSpan.Zero || RetryBaseDelay > TimeSpan.FromSeconds(30))
        {
            throw new ArgumentOutOfRangeException(nameof(RetryBaseDelay), RetryBaseDelay, "RetryBaseDelay must be 0 .. 30 s.");
        }

        if (RequestTimeout < TimeSpan.FromMilliseconds(10) || RequestTimeout > TimeSpan.FromMinutes(5))
        {
            throw new ArgumentOutOfRangeException(nameof(RequestTimeout), RequestTimeout, "RequestTimeout must be 10 ms .. 5 min.");
        }

        ArgumentNullException.ThrowIfNull(TimeProvider, nameof(TimeProvider));
    }
}
