using System.Collections.Frozen;

namespace AgentPassport;

/// <summary>
/// What a verifier requires of a Passport and its chain. Every value is checked when it is set, so an invalid policy
/// cannot be built: skew 0..120 s, non-empty issuers and audience, levels 0..3 (0 = no floor), a non-empty
/// algorithm allow-list without <c>none</c> or any <c>HS*</c>, limits that may only be lowered. Immutable once built.
/// </summary>
/// <remarks>
/// No property switches a check off: signature, <c>typ</c>, issuer, lifetime, audience and chain continuity are always checked.
/// </remarks>
public sealed class VerificationPolicy
{
    /// <summary>The default clock skew.</summary>
    public static readonly TimeSpan DefaultClockSkew = TimeSpan.FromSeconds(30);

    /// <summary>The largest clock skew allowed.</summary>
    public static readonly TimeSpan MaxClockSkew = PassportLimits.MaxClockSkew;

    private readonly string? _requiredScopeText;
    private readonly TimeSpan _clockSkew = DefaultClockSkew;
    private readonly int _requireIal;
    private readonly int _requireAal;
    private readonly int _requireFal;
    private readonly FrozenSet<string> _allowedAlgorithms = FrozenSet.ToFrozenSet([PassportAlgorithms.ES256], StringComparer.Ordinal);
    private readonly int _maxChainDepth = PassportLimits.MaxChainDepth;
    private readonly int _maxTokenBytes = PassportLimits.MaxTokenBytes;
    private readonly TimeSpan _maxLifetime = PassportLimits.MaxRootTtl;
    private readonly TimeSpan _proofWindow = DefaultProofWindow;
    private readonly FrozenSet<string> _allowedProofAlgorithms = FrozenSet.ToFrozenSet([PassportAlgorithms.ES256], StringComparer.Ordinal);

    /// <summary>The default proof window: a proof's <c>iat</c> may be this far from now, either way.</summary>
    public static readonly TimeSpan DefaultProofWindow = TimeSpan.FromSeconds(60);

    /// <summary>The largest proof window allowed.</summary>
    public static readonly TimeSpan MaxProofWindow = TimeSpan.FromSeconds(300);

    /// <summary>Initializes a policy.</summary>
    /// <param name="issuers">The trusted Passport issuers (exact, ordinal).</param>
    /// <param name="audience">This verifier's audience; the leaf's <c>aud</c> must equal it exactly.</param>
    /// <exception cref="ArgumentException">An issuer or the audience is empty, or there are no issuers.</exception>
    public VerificationPolicy(IEnumerable<string> issuers, string audience)
    {
        ArgumentNullException.ThrowIfNull(issuers);
        ArgumentException.ThrowIfNullOrWhiteSpace(audience);
        var set = issuers.ToFrozenSet(StringComparer.Ordinal);
        if (set.Count == 0)
        {
            throw new ArgumentException("The policy's issuers must not be empty.", nameof(issuers));
        }

        foreach (var issuer in set)
        {
            if (string.IsNullOrWhiteSpace(issuer))
            {
                throw new ArgumentException("An issuer must not be empty.", nameof(issuers));
            }
        }

        Issuers = set;
        Audience = audience;
    }

    /// <summary>Initializes a policy trusting one issuer.</summary>
    /// <param name="issuer">The trusted Passport issuer.</param>
    /// <param name="audience">This verifier's audience.</param>
    public VerificationPolicy(string issuer, string audience)
        : this([issuer], audience)
    {
    }

    /// <summary>Gets the trusted issuers.</summary>
    public IReadOnlySet<string> Issuers { get; }

    /// <summary>Gets this verifier's audience.</summary>
    public string Audience { get; }

    /// <summary>Gets the minimum IAL of the leaf, or 0 for none.</summary>
    /// <value>Default 0.</value>
    public int RequireIal { get => _requireIal; init => _requireIal = Floor(value, nameof(RequireIal)); }

    /// <summary>Gets the minimum AAL of the leaf, or 0 for none.</summary>
    /// <value>Default 0.</value>
    public int RequireAal { get => _requireAal; init => _requireAal = Floor(value, nameof(RequireAal)); }

    /// <summary>Gets the minimum FAL of the leaf, or 0 for none.</summary>
    /// <value>Default 0.</value>
    public int RequireFal { get => _requireFal; init => _requireFal = Floor(value, nameof(RequireFal)); }

    /// <summary>Gets the concrete scope the leaf must cover, or null. A pattern (<c>*</c>, <c>a:*</c>) is refused.</summary>
    /// <value>Default null.</value>
    public string? RequiredScope
    {
        get => _requiredScopeText;
        init
        {
            if (value is not null)
            {
                RequiredScopeValue = PassportToolRequirement.TryParse(value, out var requirement, out var error)
                    ? requirement.Scope
                    : throw new ArgumentException($"The required scope must be a concrete scope: {error}.", nameof(RequiredScope));
            }

            _requiredScopeText = value;
        }
    }

    /// <summary>Gets a value indicating whether a leaf may carry the <c>*</c> scope.</summary>
    /// <value>Default false.</value>
    public bool AllowWildcardScope { get; init; }

    /// <summary>Gets the tolerance for <c>exp</c>, <c>nbf</c> and <c>iat</c>: 0..120 s.</summary>
    /// <value>Default 30 s.</value>
    public TimeSpan ClockSkew
    {
        get => _clockSkew;
        init => _clockSkew = value >= TimeSpan.Zero && value <= MaxClockSkew
            ? value
            : throw new ArgumentOutOfRangeException(nameof(ClockSkew), value, "The clock_skew must be between 0 and 120 seconds.");
    }

    /// <summary>Gets the accepted JWS algorithms (case-sensitive). Only ES256, RS256 and PS256 can be listed; never <c>none</c> or <c>HS*</c>.</summary>
    /// <value>Default { ES256 }.</value>
    public IReadOnlySet<string> AllowedAlgorithms
    {
        get => _allowedAlgorithms;
        init
        {
            ArgumentNullException.ThrowIfNull(value);
            if (value.Count == 0)
            {
                throw new ArgumentException("The allowed algorithms must not be empty.", nameof(AllowedAlgorithms));
            }

            foreach (var alg in value)
            {
                if (alg is null || PassportAlgorithms.IsForbidden(alg))
                {
                    throw new ArgumentException($"The algorithm '{alg}' is never allowed (no 'none', no HS*).", nameof(AllowedAlgorithms));
                }

                if (!PassportAlgorithms.IsSupported(alg))
                {
                    throw new ArgumentException($"The algorithm '{alg}' is not supported (ES256, RS256, PS256).", nameof(AllowedAlgorithms));
                }
            }

            _allowedAlgorithms = value.ToFrozenSet(StringComparer.Ordinal);
        }
    }

    /// <summary>Gets the deepest chain accepted (delegation hops below the root), 0..8.</summary>
    /// <value>Default 8.</value>
    public int MaxChainDepth
    {
        get => _maxChainDepth;
        init => _maxChainDepth = value is >= 0 and <= PassportLimits.MaxChainDepth
            ? value
            : throw new ArgumentOutOfRangeException(nameof(MaxChainDepth), value, $"The chain depth cap must be 0..{PassportLimits.MaxChainDepth}.");
    }

    /// <summary>Gets the largest token accepted, in bytes: 1 KiB..16 KiB.</summary>
    /// <value>Default 16 KiB.</value>
    public int MaxTokenBytes
    {
        get => _maxTokenBytes;
        init => _maxTokenBytes = value is >= 1024 and <= PassportLimits.MaxTokenBytes
            ? value
            : throw new ArgumentOutOfRangeException(nameof(MaxTokenBytes), value, $"The token size cap must be 1024..{PassportLimits.MaxTokenBytes} bytes.");
    }

    /// <summary>Gets the longest lifetime (<c>exp − iat</c>) accepted: up to 24 h.</summary>
    /// <value>Default 24 h.</value>
    public TimeSpan MaxLifetime
    {
        get => _maxLifetime;
        init => _maxLifetime = value > TimeSpan.Zero && value <= PassportLimits.MaxRootTtl
            ? value
            : throw new ArgumentOutOfRangeException(nameof(MaxLifetime), value, "The lifetime cap must be positive and at most 24 hours.");
    }

    /// <summary>
    /// Gets a value indicating whether every leaf must be holder-bound (<c>cnf</c>) and every call carry a valid proof
    /// (spec v1.1 §11). Without it a bound leaf still needs a proof: binding is never ignored.
    /// </summary>
    /// <value>Default false.</value>
    public bool RequireHolderBinding { get; init; }

    /// <summary>Gets a value indicating whether a tool call's proof must bind the call's arguments (<c>args</c>).</summary>
    /// <value>Default false.</value>
    public bool RequireArgumentBinding { get; init; }

    /// <summary>Gets how far a proof's <c>iat</c> may be from now, either way: 1..300 s, whole seconds.</summary>
    /// <value>Default 60 s.</value>
    public TimeSpan ProofWindow
    {
        get => _proofWindow;
        init => _proofWindow = value >= TimeSpan.FromSeconds(1) && value <= MaxProofWindow && value.Ticks % TimeSpan.TicksPerSecond == 0
            ? value
            : throw new ArgumentOutOfRangeException(nameof(ProofWindow), value, "The proof window must be 1..300 whole seconds.");
    }

    /// <summary>Gets the algorithms a holder's proof may be signed with (ES256, RS256, PS256; never <c>none</c> or <c>HS*</c>).</summary>
    /// <value>Default { ES256 }.</value>
    public IReadOnlySet<string> AllowedProofAlgorithms
    {
        get => _allowedProofAlgorithms;
        init => _allowedProofAlgorithms = CheckedAlgorithms(value, nameof(AllowedProofAlgorithms));
    }

    internal PassportScope? RequiredScopeValue { get; private init; }

    /// <summary>Returns a copy of this policy that requires <paramref name="scope"/> instead.</summary>
    /// <param name="scope">The concrete scope, or null for none.</param>
    /// <returns>The new policy.</returns>
    public VerificationPolicy WithRequiredScope(string? scope) => Copy(Audience, scope);

    /// <summary>Returns a copy of this policy for another verifier audience; every other requirement is kept.</summary>
    /// <param name="audience">The audience the leaf's <c>aud</c> must equal.</param>
    /// <returns>The new policy.</returns>
    public VerificationPolicy WithAudience(string audience) => Copy(audience, RequiredScope);

    // The one place a policy is copied: a property added to the class must be added here (a test compares every property).
    private VerificationPolicy Copy(string audience, string? requiredScope) => new(Issuers, audience)
    {
        RequireIal = RequireIal,
        RequireAal = RequireAal,
        RequireFal = RequireFal,
        RequiredScope = requiredScope,
        AllowWildcardScope = AllowWildcardScope,
        ClockSkew = ClockSkew,
        AllowedAlgorithms = AllowedAlgorithms,
        MaxChainDepth = MaxChainDepth,
        MaxTokenBytes = MaxTokenBytes,
        MaxLifetime = MaxLifetime,
        RequireHolderBinding = RequireHolderBinding,
        RequireArgumentBinding = RequireArgumentBinding,
        ProofWindow = ProofWindow,
        AllowedProofAlgorithms = AllowedProofAlgorithms,
    };

    private static FrozenSet<string> CheckedAlgorithms(IReadOnlySet<string> value, string name)
    {
        ArgumentNullException.ThrowIfNull(value, name);
        if (value.Count == 0)
        {
            throw new ArgumentException("The allowed algorithms must not be empty.", name);
        }

        foreach (var alg in value)
        {
            if (alg is null || PassportAlgorithms.IsForbidden(alg))
            {
                throw new ArgumentException($"The algorithm '{alg}' is never allowed (no 'none', no HS*).", name);
            }

            if (!PassportAlgorithms.IsSupported(alg))
            {
                throw new ArgumentException($"The algorithm '{alg}' is not supported (ES256, RS256, PS256).", name);
            }
        }

        return value.ToFrozenSet(StringComparer.Ordinal);
    }

    private static int Floor(int value, string name) =>
        value is >= 0 and <= 3 ? value : throw new ArgumentOutOfRangeException(name, value, $"{name} must be 0..3 (0 = no floor); require_ial/aal/fal out of range.");
}
