namespace AgentPassport;

/// <summary>
/// The HTTP and resilience settings a <see cref="RemoteJsonClient"/> needs, shared by the OpenID provider client and the
/// remote JWKS resolver (each validates its own public options, then hands these over).
/// </summary>
/// <param name="HttpClient">The HTTP client, or null to create (and own) one that follows no redirects.</param>
/// <param name="TimeProvider">The clock for timeouts, retry delays and the circuit breaker.</param>
/// <param name="RequestTimeout">The timeout of one attempt (10 ms .. 5 min).</param>
/// <param name="MaxRetries">How many times a transient failure is retried (0 .. 10).</param>
/// <param name="RetryBaseDelay">The base delay between retries (0 .. 30 s), growing exponentially with jitter.</param>
/// <param name="CircuitBreakerMinimumThroughput">How many requests must have run before the breaker may open (at least 2).</param>
/// <param name="CircuitBreakerSamplingDuration">The window over which the failure ratio (50 %) is measured (at least 500 ms).</param>
/// <param name="CircuitBreakerBreakDuration">How long the breaker stays open (at least 500 ms).</param>
/// <param name="MaxResponseBytes">The largest response body accepted (1 KiB .. 16 MiB).</param>
public sealed record RemoteJsonClientSettings(
    HttpClient? HttpClient,
    TimeProvider TimeProvider,
    TimeSpan RequestTimeout,
    int MaxRetries,
    TimeSpan RetryBaseDelay,
    int CircuitBreakerMinimumThroughput,
    TimeSpan CircuitBreakerSamplingDuration,
    TimeSpan CircuitBreakerBreakDuration,
    int MaxResponseBytes)
{
    /// <summary>Checks the ranges documented on each parameter.</summary>
    /// <exception cref="ArgumentException">A value is out of range; the exception names the property.</exception>
    public void Validate()
    {
        ArgumentNullException.ThrowIfNull(TimeProvider, nameof(TimeProvider));
        Check(RequestTimeout, TimeSpan.FromMilliseconds(10), TimeSpan.FromMinutes(5), nameof(RequestTimeout));
        Check(RetryBaseDelay, TimeSpan.Zero, TimeSpan.FromSeconds(30), nameof(RetryBaseDelay));
        Check(CircuitBreakerSamplingDuration, TimeSpan.FromMilliseconds(500), TimeSpan.FromDays(1), nameof(CircuitBreakerSamplingDuration));
        Check(CircuitBreakerBreakDuration, TimeSpan.FromMilliseconds(500), TimeSpan.FromDays(1), nameof(CircuitBreakerBreakDuration));
        if (MaxRetries is < 0 or > 10)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxRetries), MaxRetries, "MaxRetries must be 0..10.");
        }

        if (CircuitBreakerMinimumThroughput < 2)
        {
            throw new ArgumentOutOfRangeException(nameof(CircuitBreakerMinimumThroughput), CircuitBreakerMinimumThroughput, "CircuitBreakerMinimumThroughput must be at least 2.");
        }

        if (MaxResponseBytes is < 1024 or > 16 * 1024 * 1024)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxResponseBytes), MaxResponseBytes, "MaxResponseBytes must be 1 KiB .. 16 MiB.");
        }
    }

    /// <summary>Throws when <paramref name="value"/> is outside [<paramref name="min"/>, <paramref name="max"/>].</summary>
    internal static void Check(TimeSpan value, TimeSpan min, TimeSpan max, string name)
    {
        if (value < min || value > max)
        {
            throw new ArgumentOutOfRangeException(name, value, $"{name} must be between {min} and {max}.");
        }
    }
}
