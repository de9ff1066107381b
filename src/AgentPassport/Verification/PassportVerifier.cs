namespace AgentPassport;

/// <summary>
/// Verifies a Passport and its delegation chain against a <see cref="VerificationPolicy"/>, in the order of spec §5,
/// and reports the exact rule that failed. Thread-safe; create one per set of trusted issuers and reuse it.
/// </summary>
/// <remarks>
/// Every check is always on. Keys are looked up by exact <c>kid</c>, only in the key set of the token's own <c>iss</c>
/// (spec v1.1 §10), and must be bound to the header's algorithm.
/// Nothing expensive (signature work) happens before the cheap checks (size, shape, header, chain length).
/// </remarks>
public sealed partial class PassportVerifier
{
    private readonly IssuerKeySets _keySets;
    private readonly TimeProvider _time;
    private readonly VerifiedChainCache? _cache;
    private VerificationPolicy? _lastServedPolicy;

    /// <summary>The cache capacity <c>AddAgentPassport</c> gives its verifier unless configured otherwise.</summary>
    public const int DefaultCacheCapacity = VerifiedChainCache.DefaultCapacity;

    /// <summary>Initializes a verifier that trusts one issuer: the one the policy names.</summary>
    /// <param name="keys">That issuer's keys.</param>
    /// <param name="timeProvider">The clock; <see cref="TimeProvider.System"/> when null.</param>
    /// <param name="cacheCapacity">
    /// How many verified chains to remember so their signatures are not checked again (1..1,000,000; spec §5: keyed on the
    /// full token strings and the policy, served only inside every token's validity window and while the resolver still
    /// returns the same keys); 0 (the default) verifies everything on every call.
    /// </param>
    /// <remarks>
    /// One key set serves one issuer, so a policy given to this verifier must trust exactly one issuer (else the
    /// call throws <see cref="ArgumentException"/>). To trust several issuers, use <see cref="PassportVerifier(TrustedIssuers, TimeProvider?, int)"/>.
    /// </remarks>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="cacheCapacity"/> is outside 0..1,000,000.</exception>
    public PassportVerifier(IPassportKeyResolver keys, TimeProvider? timeProvider = null, int cacheCapacity = 0)
        : this(keys, timeProvider, CacheOf(cacheCapacity))
    {
    }

    /// <summary>Initializes a verifier that trusts several issuers, each with its own key set.</summary>
    /// <param name="issuers">The issuers and their keys; copied now. A policy may trust any of them (not others).</param>
    /// <param name="timeProvider">The clock; <see cref="TimeProvider.System"/> when null.</param>
    /// <param name="cacheCapacity">How many verified chains to remember (1..1,000,000); 0 (the default) verifies everything on every call.</param>
    /// <exception cref="ArgumentException">The registry is empty.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="cacheCapacity"/> is outside 0..1,000,000.</exception>
    public PassportVerifier(TrustedIssuers issuers, TimeProvider? timeProvider = null, int cacheCapacity = 0)
        : this(issuers, timeProvider, CacheOf(cacheCapacity))
    {
    }

    internal PassportVerifier(IPassportKeyResolver keys, TimeProvider? timeProvider, VerifiedChainCache? cache)
    {
        ArgumentNullException.ThrowIfNull(keys);
        _keySets = new IssuerKeySets(keys);
        _time = timeProvider ?? TimeProvider.System;
        _cache = cache;
    }

    internal PassportVerifier(TrustedIssuers issuers, TimeProvider? timeProvider, VerifiedChainCache? cache)
    {
        ArgumentNullException.ThrowIfNull(issuers);
        if (issuers.Count == 0)
        {
            throw new ArgumentException("Trust at least one issuer.", nameof(issuers));
        }

        _keySets = new IssuerKeySets(issuers);
        _time = timeProvider ?? TimeProvider.System;
        _cache = cache;
    }

    /// <summary>Verifies <paramref name="token"/> with its parents and returns the verified Passport.</summary>
    /// <param name="token">The leaf's compact token.</param>
    /// <param name="policy">What to require.</param>
    /// <param name="chain">The parents' compact tokens, root first; empty or null for a root Passport.</param>
    /// <param name="cancellationToken">Cancels a remote key lookup.</param>
    /// <returns>The verified Passport.</returns>
    /// <exception cref="AgentPassportException">A check failed; <see cref="AgentPassportException.Kind"/> says which.</exception>
    public async ValueTask<VerifiedPassport> VerifyAsync(string token, VerificationPolicy policy, IReadOnlyList<string>? chain = null, CancellationToken cancellationToken = default) =>
        (await ValidateAsync(token, policy, chain, cancellationToken).ConfigureAwait(false)).ThrowIfFailed();

    /// <summary>Verifies <paramref name="token"/> with its parents without throwing for a bad token.</summary>
    /// <param name="token">The leaf's compact token.</param>
    /// <param name="policy">What to require.</param>
    /// <param name="chain">The parents' compact tokens, root first; empty or null for a root Passport.</param>
    /// <param name="cancellationToken">Cancels a remote key lookup.</param>
    /// <returns>The verified Passport or the typed error.</returns>
    /// <exception cref="ArgumentException">The policy trusts an issuer this verifier has no key set for (see <see cref="PassportVerifier(IPassportKeyResolver, TimeProvider?, int)"/>).</exception>
    public ValueTask<PassportValidationResult> ValidateAsync(string token, VerificationPolicy policy, IReadOnlyList<string>? chain = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(policy);
        if (!ReferenceEquals(policy, Volatile.Read(ref _lastServedPolicy)))
        {
            string? problem = _keySets.CannotServe(policy);
            if (problem is not null)
            {
                throw new ArgumentException(problem, nameof(policy));
            }

            Volatile.Write(ref _lastServedPolicy, policy);
        }

        chain ??= [];

        // Sizes first, before the cache, any parse or any signature: an oversized or over-long chain costs only its count.
        if (PassportInputLimits.Check(token, chain, policy.MaxChainDepth, policy.MaxTokenBytes) is { } sizeError)
        {
            return new(PassportValidationResult.Failure(sizeError));
        }

        var now = _time.GetUtcNow();

        // Fast path, synchronous and allocation-free: the whole sequence was verified before and the resolver answers
        // at once (an in-memory key ring). Only the caller-specific leaf checks run again.
        if (_cache is not null && token is not null && _cache.TryGet(chain, token, policy, now, out var hit))
        {
            switch (_keySets.StillTrustedNow(hit, cancellationToken))
            {
                case true:
                    var error = LeafRules.Check(hit.Leaf, policy) ?? ChainShapeRule.Check(hit.Leaf, chain, policy) ?? CheckRevoked(hit.Parents, hit.Leaf);
                    return new(error is null ? PassportValidationResult.Success(hit.Verified) : PassportValidationResult.Failure(error));
                case false:
                    _cache.Remove(hit);
                    break;
            }
        }

        return ValidateSlowAsync(token!, policy, chain, now, cancellationToken);
    }

    /// <summary>
    /// Verifies a Passport that is about to delegate: the one check a delegator runs before minting a child from it
    /// (spec §4: a child is minted only from a verified parent).
    /// </summary>
    /// <param name="token">The parent's compact token.</param>
    /// <param name="policy">The policy the parent must satisfy as a leaf, at its own audience.</param>
    /// <param name="chain">The parent's own parents, root first; empty or null for a root parent.</param>
    /// <param name="cancellationToken">Cancels a remote key lookup.</param>
    /// <returns>The verified parent (pass it to <see cref="PassportIssuer.Delegate"/>) or the typed error.</returns>
    /// <remarks>Every leaf check applies, so a <c>*</c> parent is refused unless the policy allows wildcards.</remarks>
    /// <exception cref="ArgumentException">The policy trusts an issuer this verifier has no key set for.</exception>
    public ValueTask<PassportValidationResult> ValidateDelegationParentAsync(string token, VerificationPolicy policy, IReadOnlyList<string>? chain = null, CancellationToken cancellationToken = default) =>
        ValidateAsync(token, policy, chain, cancellationToken);

    /// <summary>Why this verifier cannot check tokens under <paramref name="policy"/>, or null when it can.</summary>
    internal string? CannotServe(VerificationPolicy policy) => _keySets.CannotServe(policy);

    private static VerifiedChainCache? CacheOf(int cacheCapacity)
    {
        return cacheCapacity switch
        {
            0 => null,
            >= 1 and <= 1_000_000 => new VerifiedChainCache(cacheCapacity),
            _ => throw new ArgumentOutOfRangeException(nameof(cacheCapacity), cacheCapacity, "The cache capacity must be 0..1000000."),
        };
    }
}
