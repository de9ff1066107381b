namespace AgentPassport;

/// <summary>Configures the Agent Passport services that <c>AddAgentPassport</c> registers. Validated when the host starts.</summary>
public sealed class AgentPassportOptions
{
    private int _cacheCapacity = PassportVerifier.DefaultCacheCapacity;

    /// <summary>Gets or sets the base verification policy: trusted issuers, default audience, assurance floors.</summary>
    /// <value>Required, unless you register your own <see cref="PassportAuthorizer"/> first.</value>
    public VerificationPolicy? Policy { get; set; }

    /// <summary>Gets or sets a value indicating whether the denial a model reads names the error (opt-in).</summary>
    /// <value>Default false.</value>
    public bool IncludeDetailedDenials { get; set; }

    /// <summary>
    /// Gets or sets how many verified chains the registered <see cref="PassportVerifier"/> keeps (the authorizer's only
    /// cache); 0 builds the verifier without a cache. Ignored when you register your own <see cref="PassportVerifier"/>.
    /// </summary>
    /// <value>Default 1024.</value>
    /// <exception cref="ArgumentOutOfRangeException">The value is outside 0..1000000.</exception>
    public int VerificationCacheCapacity
    {
        get => _cacheCapacity;
        set => _cacheCapacity = value is >= 0 and <= 1_000_000
            ? value
            : throw new ArgumentOutOfRangeException(nameof(VerificationCacheCapacity), value, "The cache capacity must be 0..1000000.");
    }
}
