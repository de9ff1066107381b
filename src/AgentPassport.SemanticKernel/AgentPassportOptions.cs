namespace AgentPassport.SemanticKernel;

/// <summary>Configures Agent Passport enforcement registered through dependency injection.</summary>
public sealed class AgentPassportOptions
{
    private int _cacheSize = VerifiedChainCache.DefaultCapacity;

    /// <summary>Gets or sets the base verification policy: trusted issuers, default audience, assurance floors.</summary>
    /// <value>Required.</value>
    public VerificationPolicy? Policy { get; set; }

    /// <summary>Gets or sets a value indicating whether the denial a model reads names the error (opt-in).</summary>
    /// <value>Default false.</value>
    public bool IncludeDetailedDenials { get; set; }

    /// <summary>
    /// Gets or sets the capacity of the <see cref="VerifiedChainCache"/> that the registered <see cref="PassportVerifier"/>
    /// is built with (the authorizer verifies through it); 0 builds the verifier without a cache. Ignored when you register
    /// your own <see cref="PassportVerifier"/>.
    /// </summary>
    /// <value>Default 1024.</value>
    public int VerificationCacheSize
    {
        get => _cacheSize;
        set => _cacheSize = value is >= 0 and <= 1_000_000
            ? value
            : throw new ArgumentOutOfRangeException(nameof(VerificationCacheSize), value, "The cache size must be 0..1000000.");
    }

    /// <summary>
    /// Gets the scope a function requires, keyed <c>"plugin.function"</c>, overriding its
    /// <see cref="RequiresPassportScopeAttribute"/> and the default <c>&lt;plugin&gt;:&lt;function&gt;</c>. Values must be concrete scopes.
    /// </summary>
    /// <value>Default empty.</value>
    public IDictionary<string, string> FunctionScopes { get; } = new Dictionary<string, string>(StringComparer.Ordinal);
}
