namespace AgentPassport;

/// <summary>
/// The HTTP and resilience settings <see cref="OidcHttp"/> needs, shared by the OpenID provider client and the remote
/// JWKS resolver (each validates its own public options, then hands these over).
/// </summary>
internal sealed record OidcHttpSettings(
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
    /// <summary>Checks the ranges both public option types document; throws <see cref="ArgumentException"/> naming the property.</summary>
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
    public static void Check(TimeSpan value, TimeSpan min, TimeSpan max, string name)
    {
        if (value < min || value > max)
        {
            throw new ArgumentOutOfRangeException(name, value, $"{name} must be between {min} and {max}.");
        }
    }
}
