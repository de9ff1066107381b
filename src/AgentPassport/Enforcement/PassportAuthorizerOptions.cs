namespace AgentPassport;

/// <summary>Configures a <see cref="PassportAuthorizer"/>. Checked when the authorizer is built.</summary>
public sealed class PassportAuthorizerOptions
{
    /// <summary>The default number of cached successful verifications.</summary>
    public const int DefaultVerificationCacheSize = 1024;

    private int _cacheSize = DefaultVerificationCacheSize;

    /// <summary>
    /// Gets or sets the base policy: trusted issuers, the default audience, assurance floors and limits. Each call adds
    /// its own required scope; a <see cref="PassportContext.Audience"/> replaces the audience. Any
    /// <see cref="VerificationPolicy.RequiredScope"/> set here is required in addition, on every call.
    /// </summary>
    /// <value>Required.</value>
    public VerificationPolicy? Policy { get; set; }

    /// <summary>
    /// Gets or sets a value indicating whether the denial a model reads names the error kind, code and message.
    /// Off by default: the model learns only that the call was refused and the scope it needed.
    /// </summary>
    /// <value>Default false.</value>
    public bool IncludeDetailedDenials { get; set; }

    /// <summary>
    /// Gets or sets how many successful verifications are cached (keyed on the full token strings and the policy,
    /// expiring at the earliest <c>exp</c> in the chain, as spec §5 allows); 0 turns the cache off.
    /// </summary>
    /// <value>Default 1024.</value>
    public int VerificationCacheSize
    {
        get => _cacheSize;
        set => _cacheSize = value is >= 0 and <= 1_000_000
            ? value
            : throw new ArgumentOutOfRangeException(nameof(VerificationCacheSize), value, "The cache size must be 0..1000000.");
    }

    internal VerificationPolicy ValidatedPolicy() =>
        Policy ?? throw new ArgumentException("PassportAuthorizerOptions.Policy is required.", nameof(Policy));
}
