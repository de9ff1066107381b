using System.Collections.Frozen;
using AgentPassport.Jose;

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
    // Exactly one of the two: one key set serving the one issuer a policy names, or a key set per trusted issuer.
    private readonly IPassportKeyResolver? _singleKeySet;
    private readonly FrozenDictionary<string, IPassportKeyResolver>? _keySets;
    private readonly TimeProvider _time;
    private readonly VerifiedChainCache? _cache;
    private VerificationPolicy? _lastServedPolicy;

    /// <summary>Initializes a verifier that trusts one issuer: the one the policy names.</summary>
    /// <param name="keys">That issuer's keys.</param>
    /// <param name="timeProvider">The clock; <see cref="TimeProvider.System"/> when null.</param>
    /// <param name="cache">
    /// Remembers verified chains so their signatures are not checked again (see <see cref="VerifiedChainCache"/>);
    /// null (the default) verifies everything on every call.
    /// </param>
    /// <remarks>
    /// One key set serves one issuer, so a policy given to this verifier must trust exactly one issuer (else the
    /// call throws <see cref="ArgumentException"/>). To trust several issuers, use <see cref="PassportVerifier(TrustedIssuers, TimeProvider?, VerifiedChainCache?)"/>.
    /// </remarks>
    public PassportVerifier(IPassportKeyResolver keys, TimeProvider? timeProvider = null, VerifiedChainCache? cache = null)
    {
        ArgumentNullException.ThrowIfNull(keys);
        _singleKeySet = keys;
        _time = timeProvider ?? TimeProvider.System;
        _cache = cache;
    }

    /// <summary>Initializes a verifier that trusts several issuers, each with its own key set.</summary>
    /// <param name="issuers">The issuers and their keys; copied now. A policy may trust any of them (not others).</param>
    /// <param name="timeProvider">The clock; <see cref="TimeProvider.System"/> when null.</param>
    /// <param name="cache">Remembers verified chains (see <see cref="VerifiedChainCache"/>); null verifies everything on every call.</param>
    /// <exception cref="ArgumentException">The registry is empty.</exception>
    public PassportVerifier(TrustedIssuers issuers, TimeProvider? timeProvider = null, VerifiedChainCache? cache = null)
    {
        ArgumentNullException.ThrowIfNull(issuers);
        if (issuers.Count == 0)
        {
            throw new ArgumentException("Trust at least one issuer.", nameof(issuers));
        }

        _keySets = issuers.ToFrozenDictionary(StringComparer.Ordinal);
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
    /// <exception cref="ArgumentException">The policy trusts an issuer this verifier has no key set for (see <see cref="PassportVerifier(IPassportKeyResolver, TimeProvider?, VerifiedChainCache?)"/>).</exception>
    public ValueTask<PassportValidationResult> ValidateAsync(string token, VerificationPolicy policy, IReadOnlyList<string>? chain = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(policy);
        if (!ReferenceEquals(policy, Volatile.Read(ref _lastServedPolicy)))
        {
            string? problem = CannotServe(policy);
            if (problem is not null)
            {
                throw new ArgumentException(problem, nameof(policy));
            }

            Volatile.Write(ref _lastServedPolicy, policy);
        }

        chain ??= [];
        var now = _time.GetUtcNow();

        // Fast path, synchronous and allocation-free: the whole sequence was verified before and the resolver answers
        // at once (an in-memory key ring). Only the caller-specific leaf checks run again.
        if (_cache is not null && token is not null && _cache.TryGet(chain, token, policy, now, out var hit))
        {
            switch (StillTrustedNow(hit, cancellationToken))
            {
                case true:
                    var error = CheckLeaf(hit.Leaf, policy) ?? CheckChainShape(hit.Leaf, chain, policy) ?? CheckRevoked(hit.Parents, hit.Leaf);
                    return new(error is null ? PassportValidationResult.Success(hit.Verified) : PassportValidationResult.Failure(error));
                case false:
                    _cache.Remove(hit);
                    break;
            }
        }

        return ValidateSlowAsync(token!, policy, chain, now, cancellationToken);
    }

    private async ValueTask<PassportValidationResult> ValidateSlowAsync(string token, VerificationPolicy policy, IReadOnlyList<string> chain, DateTimeOffset now, CancellationToken cancellationToken)
    {
        VerifiedChainCache.Entry? verifiedParents = null;
        if (_cache is not null && token is not null)
        {
            // The whole sequence was verified before (reached here when the resolver is asynchronous).
            if (_cache.TryGet(chain, token, policy, now, out var hit))
            {
                if (await StillTrustedAsync(hit, cancellationToken).ConfigureAwait(false))
                {
                    var error = CheckLeaf(hit.Leaf, policy) ?? CheckChainShape(hit.Leaf, chain, policy) ?? CheckRevoked(hit.Parents, hit.Leaf);
                    return error is null ? PassportValidationResult.Success(hit.Verified) : PassportValidationResult.Failure(error);
                }

                _cache.Remove(hit);
            }

            // A new leaf under parents verified before: only the leaf's signature and its link are checked.
            if (chain.Count > 0 && _cache.TryGet(chain, null, policy, now, out var parents))
            {
                if (await StillTrustedAsync(parents, cancellationToken).ConfigureAwait(false))
                {
                    verifiedParents = parents;
                }
                else
                {
                    _cache.Remove(parents);
                }
            }
        }

        // Leaf: spec steps 1-4, then the leaf-only step 5.
        var (leaf, leafKey, leafError) = await VerifyTokenAsync(token!, policy, now, null, cancellationToken).ConfigureAwait(false);
        if (leafError is not null)
        {
            return PassportValidationResult.Failure(leafError);
        }

        var leafError5 = CheckLeaf(leaf!, policy);
        if (leafError5 is not null)
        {
            return PassportValidationResult.Failure(leafError5);
        }

        // Step 6: chain presence and length before any parent signature work.
        var shapeError = CheckChainShape(leaf!, chain, policy);
        if (shapeError is not null)
        {
            return PassportValidationResult.Failure(shapeError);
        }

        if (verifiedParents is not null)
        {
            var signedLeaf = new SignedPassport(token!, leaf!);
            var linkError = ChainRules.CheckNewLeaf(signedLeaf, verifiedParents.Tokens, policy);
            if (linkError is not null)
            {
                return PassportValidationResult.Failure(linkError);
            }

            _cache!.Add([.. verifiedParents.Tokens, signedLeaf], [.. verifiedParents.Keys, leafKey], policy, now);
            return CheckRevoked(verifiedParents.Tokens, leaf!) is { } revoked ? PassportValidationResult.Failure(revoked) : PassportValidationResult.Success(new VerifiedPassport(token!, leaf!, verifiedParents.Tokens));
        }

        return await VerifyParentsAsync(new SignedPassport(token!, leaf!), leafKey, chain, policy, now, cancellationToken).ConfigureAwait(false);
    }

    private async ValueTask<PassportValidationResult> VerifyParentsAsync(SignedPassport leaf, VerifiedChainCache.KeyUse leafKey, IReadOnlyList<string> chain, VerificationPolicy policy, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var parents = new SignedPassport[chain.Count];
        var keys = _cache is null ? null : new VerifiedChainCache.KeyUse[chain.Count + 1];
        for (int i = 0; i < chain.Count; i++)
        {
            var (parent, key, parentError) = await VerifyTokenAsync(chain[i], policy, now, i, cancellationToken).ConfigureAwait(false);
            if (parentError is not null)
            {
                return PassportValidationResult.Failure(parentError);
            }

            parents[i] = new SignedPassport(chain[i], parent!);
            keys?[i] = key;
        }

        var linkError = ChainRules.Check(leaf, parents, policy);
        if (linkError is not null)
        {
            return PassportValidationResult.Failure(linkError);
        }

        if (keys is not null)
        {
            keys[^1] = leafKey;
            _cache!.Add([.. parents, leaf], keys, policy, now);
            if (parents.Length > 0)
            {
                // The parents alone are a verified sequence too: a new leaf under them costs one signature.
                _cache.Add(parents, keys[..^1], policy, now);
            }
        }

        return CheckRevoked(parents, leaf.Passport) is { } revoked ? PassportValidationResult.Failure(revoked) : PassportValidationResult.Success(new VerifiedPassport(leaf.Token, leaf.Passport, parents));
    }

    /// <summary>
    /// Re-checks an entry's keys when the resolver answers synchronously: true or false, or null when a lookup is still
    /// pending (the slow path then checks again asynchronously).
    /// </summary>
    private bool? StillTrustedNow(VerifiedChainCache.Entry entry, CancellationToken cancellationToken)
    {
        foreach (var use in entry.Keys)
        {
            var keySet = KeySetOf(use.Issuer);
            if (keySet is null)
            {
                return false;
            }

            ValueTask<PassportVerificationKey?> lookup;
            try
            {
                lookup = keySet.FindKeyAsync(use.KeyId, cancellationToken);
            }
            catch (AgentPassportException)
            {
                // The resolver cannot answer (JwksError): not served from the cache; the cold path reports the error.
                return false;
            }

            if (!lookup.IsCompletedSuccessfully)
            {
                // Consume the pending (or failed) lookup properly, observing any exception; the slow path asks again.
                _ = lookup.AsTask().ContinueWith(static t => t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
                return null;
            }

            if (!use.StillTrusted(lookup.Result))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Gets a value indicating whether the resolver still returns every key that verified the entry.</summary>
    private async ValueTask<bool> StillTrustedAsync(VerifiedChainCache.Entry entry, CancellationToken cancellationToken)
    {
        foreach (var use in entry.Keys)
        {
            var keySet = KeySetOf(use.Issuer);
            if (keySet is null)
            {
                return false;
            }

            PassportVerificationKey? current;
            try
            {
                current = await keySet.FindKeyAsync(use.KeyId, cancellationToken).ConfigureAwait(false);
            }
            catch (AgentPassportException)
            {
                // The resolver cannot answer (JwksError): not served from the cache; the cold path reports the error.
                return false;
            }

            if (!use.StillTrusted(current))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Spec §5 steps 1–4 for one token.</summary>
    private async ValueTask<(Passport? Passport, VerifiedChainCache.KeyUse Key, PassportError? Error)> VerifyTokenAsync(string token, VerificationPolicy policy, DateTimeOffset now, int? index, CancellationToken cancellationToken)
    {
        var parsed = ParsedPassportToken.Parse(token, policy.MaxTokenBytes, policy.AllowedAlgorithms, out var error);
        if (parsed is null)
        {
            return (null, default, At(error!, index));
        }

        // Spec v1.1 §10: the token's own iss picks the one key set its kid may come from. The iss is unverified here; a
        // forged one only selects a key set the signature must then verify against.
        string? issuer = parsed.UnverifiedIssuer;
        if (string.IsNullOrEmpty(issuer))
        {
            return (null, default, At(new PassportError(PassportErrorKind.MalformedClaims, parsed.SchemaError ?? "iss must not be empty"), index));
        }

        var keySet = policy.Issuers.Contains(issuer) ? KeySetOf(issuer) : null;
        if (keySet is null)
        {
            return (null, default, At(new PassportError(PassportErrorKind.UntrustedIssuer, $"the issuer '{ParsedPassportToken.Truncate(issuer)}' is not trusted", details: new PassportErrorDetails { Issuer = issuer }), index));
        }

        PassportVerificationKey? key;
        try
        {
            key = await keySet.FindKeyAsync(parsed.KeyId, cancellationToken).ConfigureAwait(false);
        }
        catch (AgentPassportException ex)
        {
            // A remote resolver could not reach the issuer's keys (JwksError): a typed refusal, never an escape or an accept.
            return (null, default, At(ex.Error, index));
        }

        var keyDetails = new PassportErrorDetails { KeyId = parsed.KeyId, Algorithm = parsed.Algorithm, Issuer = issuer };
        if (key is null || !string.Equals(key.Algorithm, parsed.Algorithm, StringComparison.Ordinal))
        {
            return (null, default, At(new PassportError(PassportErrorKind.KeyNotFound, $"no key of the issuer '{ParsedPassportToken.Truncate(issuer)}' has kid={ParsedPassportToken.Truncate(parsed.KeyId)} for {parsed.Algorithm}", details: keyDetails), index));
        }

        if (!parsed.VerifySignature(key))
        {
            return (null, default, At(new PassportError(PassportErrorKind.InvalidSignature, "the signature does not verify", details: keyDetails), index));
        }

        if (parsed.SchemaError is not null)
        {
            return (null, default, At(new PassportError(PassportErrorKind.MalformedClaims, parsed.SchemaError), index));
        }

        var passport = parsed.Passport!;
        var claimError = CheckIssuerAndTime(passport, policy, now);
        return claimError is null ? (passport, new VerifiedChainCache.KeyUse(issuer, parsed.KeyId, key), null) : (null, default, At(claimError, index));
    }

    /// <summary>The key set of <paramref name="issuer"/>, or null when this verifier has none for it.</summary>
    private IPassportKeyResolver? KeySetOf(string issuer) =>
        _singleKeySet ?? _keySets!.GetValueOrDefault(issuer);

    /// <summary>Why this verifier cannot check tokens under <paramref name="policy"/>, or null when it can.</summary>
    internal string? CannotServe(VerificationPolicy policy)
    {
        if (_singleKeySet is not null)
        {
            return policy.Issuers.Count == 1 ? null
                : $"This verifier has one key set, so its policy must trust exactly one issuer (it trusts {policy.Issuers.Count}). "
                  + "Give each issuer its own keys: new PassportVerifier(new TrustedIssuers { { issuer, keys }, ... }).";
        }

        foreach (var issuer in policy.Issuers)
        {
            if (!_keySets!.ContainsKey(issuer))
            {
                return $"The policy trusts the issuer '{issuer}' but the verifier has no key set for it; add it to the verifier's TrustedIssuers.";
            }
        }

        return null;
    }

    private static PassportError? CheckIssuerAndTime(Passport p, VerificationPolicy policy, DateTimeOffset now)
    {
        if (!policy.Issuers.Contains(p.Issuer))
        {
            return new(PassportErrorKind.UntrustedIssuer, $"the issuer '{ParsedPassportToken.Truncate(p.Issuer)}' is not trusted", details: new PassportErrorDetails { Issuer = p.Issuer });
        }

        if (p.NotBefore > p.ExpiresAt || p.IssuedAt > p.ExpiresAt)
        {
            return new(PassportErrorKind.MalformedClaims, "nbf and iat must not be after exp");
        }

        if (p.ExpiresAt - p.IssuedAt > policy.MaxLifetime)
        {
            return new(PassportErrorKind.MalformedClaims, $"the lifetime (exp - iat) exceeds {policy.MaxLifetime.TotalHours:0.##} h");
        }

        // Differences, never sums: exp + skew overflows for an exp near 9999-12-31 (two instants always differ by a TimeSpan).
        var skew = policy.ClockSkew;
        if (now - p.ExpiresAt > skew)
        {
            return new(PassportErrorKind.Expired, $"expired at {p.ExpiresAt:O} (now {now:O})");
        }

        if (p.NotBefore - now > skew)
        {
            return new(PassportErrorKind.NotYetValid, $"not valid before {p.NotBefore:O} (now {now:O})");
        }

        if (p.IssuedAt - now > skew)
        {
            return new(PassportErrorKind.NotYetValid, $"issued in the future at {p.IssuedAt:O} (now {now:O})");
        }

        return null;
    }

    private static PassportError? CheckLeaf(Passport p, VerificationPolicy policy)
    {
        if (!string.Equals(p.Audience, policy.Audience, StringComparison.Ordinal))
        {
            return new(PassportErrorKind.AudienceMismatch, $"expected aud '{policy.Audience}', got '{ParsedPassportToken.Truncate(p.Audience)}'",
                details: new PassportErrorDetails { ExpectedAudience = policy.Audience, ActualAudience = p.Audience });
        }

        if (policy.RequireIal > 0 && (p.Ial ?? 0) < policy.RequireIal)
        {
            return new(PassportErrorKind.IALInsufficient, $"IAL {policy.RequireIal} required, got {p.Ial ?? 0}", details: Levels(policy.RequireIal, p.Ial));
        }

        if (policy.RequireAal > 0 && (p.Aal ?? 0) < policy.RequireAal)
        {
            return new(PassportErrorKind.AALInsufficient, $"AAL {policy.RequireAal} required, got {p.Aal ?? 0}", details: Levels(policy.RequireAal, p.Aal));
        }

        if (policy.RequireFal > 0 && (p.Fal ?? 0) < policy.RequireFal)
        {
            return new(PassportErrorKind.FALInsufficient, $"FAL {policy.RequireFal} required, got {p.Fal ?? 0}", details: Levels(policy.RequireFal, p.Fal));
        }

        if (!policy.AllowWildcardScope && p.ToolScope.ContainsWildcardAll)
        {
            return new(PassportErrorKind.WildcardScopeNotAllowed, "the '*' scope is not allowed by this policy");
        }

        if (policy.RequiredScopeValue is { } required && !p.ToolScope.Covers(required))
        {
            return new(PassportErrorKind.ScopeViolation, $"scope '{required.Value}' required; granted: [{string.Join(", ", p.ToolScope.ToStrings())}]");
        }

        return null;
    }

    private static PassportError? CheckChainShape(Passport leaf, IReadOnlyList<string> chain, VerificationPolicy policy)
    {
        if (leaf.IsDelegated && chain.Count == 0)
        {
            return Broken(ChainBrokenReason.MissingChain, "the leaf is delegated (has parent_jti) but no parent chain was provided", null);
        }

        if (!leaf.IsDelegated && chain.Count > 0)
        {
            return Broken(ChainBrokenReason.UnexpectedChain, "the leaf is a root token but a chain was provided", null);
        }

        if (chain.Count > policy.MaxChainDepth)
        {
            return Broken(ChainBrokenReason.DepthExceeded, $"the chain has {chain.Count} parents; at most {policy.MaxChainDepth} are allowed", null);
        }

        if (leaf.Depth != chain.Count)
        {
            return Broken(ChainBrokenReason.ActorMismatch, $"the leaf's act names {leaf.Depth + 1} actors but the chain has {chain.Count + 1} tokens", null);
        }

        return null;
    }

    internal static PassportError Broken(ChainBrokenReason reason, string message, int? index, PassportErrorDetails? details = null) =>
        new(PassportErrorKind.ChainBroken, message, reason, index, details);

    private static PassportErrorDetails Levels(int required, int? actual) => new() { RequiredLevel = required, ActualLevel = actual };

    private static PassportError At(PassportError error, int? index) =>
        index is null ? error : new PassportError(error.Kind, $"chain[{index}]: {error.Message}", error.ChainReason, index, error.Details);
}
