using AgentPassport.Jose;

namespace AgentPassport;

/// <summary>
/// Verifies a Passport and its delegation chain against a <see cref="VerificationPolicy"/>, in the order of spec §5,
/// and reports the exact rule that failed. Thread-safe; create one per key resolver and reuse it.
/// </summary>
/// <remarks>
/// Every check is always on. Keys are looked up by exact <c>kid</c> and must be bound to the header's algorithm.
/// Nothing expensive (signature work) happens before the cheap checks (size, shape, header, chain length).
/// </remarks>
public sealed partial class PassportVerifier
{
    private readonly IPassportKeyResolver _keys;
    private readonly TimeProvider _time;

    /// <summary>Initializes a verifier.</summary>
    /// <param name="keys">The trusted keys.</param>
    /// <param name="timeProvider">The clock; <see cref="TimeProvider.System"/> when null.</param>
    public PassportVerifier(IPassportKeyResolver keys, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(keys);
        _keys = keys;
        _time = timeProvider ?? TimeProvider.System;
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
    public async ValueTask<PassportValidationResult> ValidateAsync(string token, VerificationPolicy policy, IReadOnlyList<string>? chain = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(policy);
        chain ??= [];
        var now = _time.GetUtcNow();

        // Leaf: spec steps 1-4, then the leaf-only step 5.
        var (leaf, leafError) = await VerifyTokenAsync(token, policy, now, null, cancellationToken).ConfigureAwait(false);
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

        var parents = new SignedPassport[chain.Count];
        for (int i = 0; i < chain.Count; i++)
        {
            var (parent, parentError) = await VerifyTokenAsync(chain[i], policy, now, i, cancellationToken).ConfigureAwait(false);
            if (parentError is not null)
            {
                return PassportValidationResult.Failure(parentError);
            }

            parents[i] = new SignedPassport(chain[i], parent!);
        }

        var linkError = ChainRules.Check(new SignedPassport(token, leaf!), parents, policy);
        return linkError is not null
            ? PassportValidationResult.Failure(linkError)
            : PassportValidationResult.Success(new VerifiedPassport(token, leaf!, parents));
    }

    /// <summary>Spec §5 steps 1–4 for one token.</summary>
    private async ValueTask<(Passport? Passport, PassportError? Error)> VerifyTokenAsync(string token, VerificationPolicy policy, DateTimeOffset now, int? index, CancellationToken cancellationToken)
    {
        var parsed = ParsedPassportToken.Parse(token, policy.MaxTokenBytes, policy.AllowedAlgorithms, out var error);
        if (parsed is null)
        {
            return (null, At(error!, index));
        }

        PassportVerificationKey? key;
        try
        {
            key = await _keys.FindKeyAsync(parsed.KeyId, cancellationToken).ConfigureAwait(false);
        }
        catch (AgentPassportException ex)
        {
            // A remote resolver could not reach the issuer's keys (JwksError): a typed refusal, never an escape or an accept.
            return (null, At(ex.Error, index));
        }

        if (key is null || !string.Equals(key.Algorithm, parsed.Algorithm, StringComparison.Ordinal))
        {
            return (null, At(new PassportError(PassportErrorKind.KeyNotFound, $"no trusted key with kid={ParsedPassportToken.Truncate(parsed.KeyId)} for {parsed.Algorithm}"), index));
        }

        if (!key.Verify(parsed.SigningInput(), parsed.Signature))
        {
            return (null, At(new PassportError(PassportErrorKind.InvalidSignature, "the signature does not verify"), index));
        }

        if (parsed.SchemaError is not null)
        {
            return (null, At(new PassportError(PassportErrorKind.MalformedClaims, parsed.SchemaError), index));
        }

        var passport = parsed.Passport!;
        var claimError = CheckIssuerAndTime(passport, policy, now);
        return claimError is null ? (passport, null) : (null, At(claimError, index));
    }

    private static PassportError? CheckIssuerAndTime(Passport p, VerificationPolicy policy, DateTimeOffset now)
    {
        if (!policy.Issuers.Contains(p.Issuer))
        {
            return new(PassportErrorKind.UntrustedIssuer, $"the issuer '{ParsedPassportToken.Truncate(p.Issuer)}' is not trusted");
        }

        if (p.NotBefore > p.ExpiresAt || p.IssuedAt > p.ExpiresAt)
        {
            return new(PassportErrorKind.MalformedClaims, "nbf and iat must not be after exp");
        }

        if (p.ExpiresAt - p.IssuedAt > policy.MaxLifetime)
        {
            return new(PassportErrorKind.MalformedClaims, $"the lifetime (exp - iat) exceeds {policy.MaxLifetime.TotalHours:0.##} h");
        }

        var skew = policy.ClockSkew;
        if (now > p.ExpiresAt + skew)
        {
            return new(PassportErrorKind.Expired, $"expired at {p.ExpiresAt:O} (now {now:O})");
        }

        if (now < p.NotBefore - skew)
        {
            return new(PassportErrorKind.NotYetValid, $"not valid before {p.NotBefore:O} (now {now:O})");
        }

        if (p.IssuedAt > now + skew)
        {
            return new(PassportErrorKind.NotYetValid, $"issued in the future at {p.IssuedAt:O} (now {now:O})");
        }

        return null;
    }

    private static PassportError? CheckLeaf(Passport p, VerificationPolicy policy)
    {
        if (!string.Equals(p.Audience, policy.Audience, StringComparison.Ordinal))
        {
            return new(PassportErrorKind.AudienceMismatch, $"expected aud '{policy.Audience}', got '{ParsedPassportToken.Truncate(p.Audience)}'");
        }

        if (policy.RequireIal > 0 && (p.Ial ?? 0) < policy.RequireIal)
        {
            return new(PassportErrorKind.IALInsufficient, $"IAL {policy.RequireIal} required, got {p.Ial ?? 0}");
        }

        if (policy.RequireAal > 0 && (p.Aal ?? 0) < policy.RequireAal)
        {
            return new(PassportErrorKind.AALInsufficient, $"AAL {policy.RequireAal} required, got {p.Aal ?? 0}");
        }

        if (policy.RequireFal > 0 && (p.Fal ?? 0) < policy.RequireFal)
        {
            return new(PassportErrorKind.FALInsufficient, $"FAL {policy.RequireFal} required, got {p.Fal ?? 0}");
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

    internal static PassportError Broken(ChainBrokenReason reason, string message, int? index) =>
        new(PassportErrorKind.ChainBroken, message, reason, index);

    private static PassportError At(PassportError error, int? index) =>
        index is null ? error : new PassportError(error.Kind, $"chain[{index}]: {error.Message}", error.ChainReason, index);
}
