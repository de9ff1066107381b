namespace AgentPassport;

/// <summary>Configures a <see cref="PassportIssuer"/>. Values are checked when the issuer is built.</summary>
public sealed class PassportIssuerOptions
{
    /// <summary>Gets or sets the issuer URL written to <c>iss</c>.</summary>
    /// <value>Required.</value>
    public string IssuerUrl { get; set; } = string.Empty;

    /// <summary>Gets or sets the key store that signs.</summary>
    /// <value>Required.</value>
    public IPassportKeyStore? KeyStore { get; set; }

    /// <summary>Gets or sets the clock.</summary>
    /// <value>Default <see cref="TimeProvider.System"/>.</value>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>Gets or sets the root lifetime used when a request names none.</summary>
    /// <value>Default 15 minutes.</value>
    public TimeSpan DefaultRootTtl { get; set; } = PassportLimits.DefaultRootTtl;

    /// <summary>Gets or sets the longest root lifetime; at most 24 hours.</summary>
    /// <value>Default 24 hours.</value>
    public TimeSpan MaxRootTtl { get; set; } = PassportLimits.MaxRootTtl;

    /// <summary>Gets or sets the child lifetime used when a request names none.</summary>
    /// <value>Default 5 minutes.</value>
    public TimeSpan DefaultChildTtl { get; set; } = PassportLimits.DefaultChildTtl;

    /// <summary>Gets or sets the deepest chain this issuer will extend: 0..8 hops below the root.</summary>
    /// <value>Default 8.</value>
    public int MaxChainDepth { get; set; } = PassportLimits.MaxChainDepth;

    internal void Validate()
    {
        if (string.IsNullOrWhiteSpace(IssuerUrl))
        {
            throw new ArgumentException("PassportIssuerOptions.IssuerUrl is required.", nameof(IssuerUrl));
        }

        if (KeyStore is null)
        {
            throw new ArgumentException("PassportIssuerOptions.KeyStore is required.", nameof(KeyStore));
        }

        ArgumentNullException.ThrowIfNull(TimeProvider, nameof(TimeProvider));
        if (MaxRootTtl <= TimeSpan.Zero || MaxRootTtl > PassportLimits.MaxRootTtl)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxRootTtl), MaxRootTtl, "MaxRootTtl must be positive and at most 24 hours.");
        }

        if (DefaultRootTtl <= TimeSpan.Zero || DefaultRootTtl > MaxRootTtl)
        {
            throw new ArgumentOutOfRangeException(nameof(DefaultRootTtl), DefaultRootTtl, "DefaultRootTtl must be positive and at most MaxRootTtl.");
        }

        if (DefaultChildTtl <= TimeSpan.Zero || DefaultChildTtl > MaxRootTtl)
        {
            throw new ArgumentOutOfRangeException(nameof(DefaultChildTtl), DefaultChildTtl, "DefaultChildTtl must be positive and at most MaxRootTtl.");
        }

        if (ProofWindow < TimeSpan.FromSeconds(1) || ProofWindow > VerificationPolicy.MaxProofWindow || ProofWindow.Ticks % TimeSpan.TicksPerSecond != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(ProofWindow), ProofWindow, "ProofWindow must be 1..300 whole seconds.");
        }

        if (MaxChainDepth is < 0 or > PassportLimits.MaxChainDepth)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxChainDepth), MaxChainDepth, $"MaxChainDepth must be 0..{PassportLimits.MaxChainDepth}.");
        }
    }

    /// <summary>Gets or sets the revocation store checked before delegating: no child is minted from a revoked parent (or a parent with a revoked ancestor). Null checks none.</summary>
    public IRevocationStore? Revocations { get; set; }

    /// <summary>
    /// Gets or sets where the proofs that accompany delegations from holder-bound parents are recorded, so a captured
    /// proof cannot be used twice. Share it (or use Redis) when several issuer instances serve one URL.
    /// </summary>
    /// <value>Default null: the issuer creates its own bounded <see cref="InMemoryPassportReplayCache"/> on its clock.</value>
    public IPassportReplayCache? ReplayCache { get; set; }

    /// <summary>Gets or sets how far a delegation proof's <c>iat</c> may be from now, either way: 1..300 whole seconds.</summary>
    /// <value>Default 60 s.</value>
    public TimeSpan ProofWindow { get; set; } = VerificationPolicy.DefaultProofWindow;
}
