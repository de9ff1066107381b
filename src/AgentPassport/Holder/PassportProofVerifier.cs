using System.Buffers;
using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using AgentPassport.Jose;

namespace AgentPassport;

/// <summary>
/// Verifies the proof of possession that accompanies a holder-bound Passport (spec v1.1 §11), after the Passport and its
/// chain verified: strict parsing, <c>typ</c>, <c>alg</c>, a public <c>jwk</c> of an allowed type and size, the key's
/// thumbprint against the leaf's <c>cnf.jkt</c>, the signature, <c>aud</c>, <c>ath</c> (of the leaf), <c>op</c> or
/// <c>htm</c>/<c>htu</c>, <c>args</c>, <c>iat</c> within ± the proof window, and the <c>jti</c> against the replay cache.
/// Never throws for bad input: every failure is a typed <see cref="PassportError"/>. Thread-safe.
/// </summary>
/// <remarks>
/// A proof is never cached: each is checked in full and its <c>jti</c> recorded. Only the parsed public keys are kept
/// (keyed by their RFC 7638 thumbprint and algorithm, bounded), so a holder's repeated proofs skip the key import.
/// </remarks>
public sealed class PassportProofVerifier
{
    /// <summary>The fewest characters a <c>jti</c> may have: 96 bits as base64url.</summary>
    public const int MinProofIdLength = 16;

    /// <summary>The most characters a <c>jti</c> may have.</summary>
    public const int MaxProofIdLength = 256;

    private const int MaxCachedKeys = 1024;

    private readonly VerificationPolicy _policy;
    private readonly IPassportReplayCache _replayCache;
    private readonly TimeProvider _time;
    private readonly ConcurrentDictionary<string, PassportVerificationKey> _keys = new(StringComparer.Ordinal);
    private volatile RecentKey? _lastKey;

    /// <summary>Initializes a proof verifier.</summary>
    /// <param name="policy">The policy: <see cref="VerificationPolicy.RequireHolderBinding"/>, <see cref="VerificationPolicy.RequireArgumentBinding"/>, <see cref="VerificationPolicy.ProofWindow"/>, <see cref="VerificationPolicy.AllowedProofAlgorithms"/> and the clock skew.</param>
    /// <param name="replayCache">Where used proofs are recorded; share one across every verifier of the same audience (a Redis cache across machines).</param>
    /// <param name="timeProvider">The clock; <see cref="TimeProvider.System"/> when null.</param>
    public PassportProofVerifier(VerificationPolicy policy, IPassportReplayCache replayCache, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(replayCache);
        _policy = policy;
        _replayCache = replayCache;
        _time = timeProvider ?? TimeProvider.System;
    }

    /// <summary>
    /// Gets how long a used proof is remembered: twice the proof window (a proof dated one window ahead stays acceptable
    /// for two windows) plus the clock skew.
    /// </summary>
    public TimeSpan ReplayTimeToLive => (2 * _policy.ProofWindow) + _policy.ClockSkew;

    /// <summary>
    /// Checks holder binding for one call: a bound leaf (or any leaf, under <see cref="VerificationPolicy.RequireHolderBinding"/>)
    /// needs a valid proof; an unbound leaf without the requirement needs none (a proof sent with it is not checked).
    /// </summary>
    /// <param name="leaf">The verified leaf Passport (the proof's <c>ath</c> must be of its token, never a parent's).</param>
    /// <param name="proof">The presented compact proof, or null when none was presented.</param>
    /// <param name="expectation">What the proof must say to match this call.</param>
    /// <param name="cancellationToken">Cancels the replay-cache check.</param>
    /// <returns>The outcome; never throws for a bad proof.</returns>
    public async ValueTask<PassportProofResult> VerifyAsync(VerifiedPassport leaf, string? proof, PassportProofExpectation expectation, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(leaf);
        ArgumentNullException.ThrowIfNull(expectation);
        string? bound = leaf.Passport.HolderThumbprint;
        if (bound is null)
        {
            return _policy.RequireHolderBinding
                ? PassportProofResult.Failed(ProofErrors.Mismatch("the policy requires a holder-bound Passport; this Passport has no cnf", null, null))
                : PassportProofResult.NotNeeded;
        }

        if (string.IsNullOrEmpty(proof))
        {
            return PassportProofResult.Failed(ProofErrors.Required("the Passport is bound to a holder key; the call carries no proof of possession"));
        }

        var error = Check(leaf, bound, proof, expectation, out string? jti);
        if (error is not null)
        {
            return PassportProofResult.Failed(error);
        }

        PassportReplayCheck check;
        try
        {
            check = await _replayCache.TryRecordAsync(bound, jti!, ReplayTimeToLive, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // A cache that fails cannot vouch that the proof is fresh: refused, never allowed unchecked.
            check = PassportReplayCheck.Unavailable;
        }

        return check switch
        {
            PassportReplayCheck.FirstUse => PassportProofResult.Accepted(jti!, bound),
            PassportReplayCheck.Replayed => PassportProofResult.Failed(new PassportError(PassportErrorKind.ReplayDetected,
                "the proof's jti was already used with this holder key", details: new PassportErrorDetails { ActualThumbprint = bound })),
            _ => PassportProofResult.Failed(new PassportError(PassportErrorKind.ReplayCacheUnavailable,
                "the replay cache could not record the proof (full, unreachable or timed out); the call is refused")),
        };
    }

    private PassportError? Check(VerifiedPassport leaf, string bound, string proof, PassportProofExpectation expectation, out string? jti)
    {
        jti = null;
        var parsed = ParsedProof.Parse(proof, _policy.AllowedProofAlgorithms, out var error);
        if (parsed is null)
        {
            return error;
        }

        var key = PublicKey(parsed, out error);
        if (key is null)
        {
            return error;
        }

        if (!string.Equals(key.KeyId, bound, StringComparison.Ordinal))
        {
            return ProofErrors.Mismatch("the proof is signed by a key other than the one the Passport is bound to", bound, key.KeyId);
        }

        error = CheckClaims(parsed.Claims, leaf, expectation);
        if (error is not null)
        {
            return error;
        }

        jti = parsed.Claims.TokenId;
        return VerifySignature(key, parsed)
            ? null
            : ProofErrors.Invalid(ProofFailureReason.Signature, "the proof's signature does not verify with its jwk");
    }

    private static bool VerifySignature(PassportVerificationKey key, ParsedProof parsed)
    {
        // The signing input is the proof's first two segments (ASCII, at most 8 KiB): encoded into a pooled buffer.
        int length = parsed.SigningInputLength;
        byte[] buffer = ArrayPool<byte>.Shared.Rent(length);
        try
        {
            int written = Encoding.ASCII.GetBytes(parsed.Proof.AsSpan(0, length), buffer);
            return key.Verify(buffer.AsSpan(0, written), parsed.Signature);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private PassportError? CheckClaims(in ProofClaims claims, VerifiedPassport leaf, PassportProofExpectation expectation)
    {
        if (claims.TokenId is not { } jti || jti.Length is < MinProofIdLength or > MaxProofIdLength)
        {
            return ProofErrors.Invalid(ProofFailureReason.TokenId, $"the proof's jti must be a string of {MinProofIdLength}..{MaxProofIdLength} characters (at least 96 random bits)");
        }

        if (!claims.HasIssuedAt)
        {
            return ProofErrors.Invalid(ProofFailureReason.Claims, "the proof's iat must be an integer number of seconds");
        }

        if (claims.Audience is not { } aud || !string.Equals(aud, expectation.Audience, StringComparison.Ordinal))
        {
            return ProofErrors.Invalid(ProofFailureReason.Audience, $"the proof's aud is not the audience called ('{ParsedProof.Quote(expectation.Audience)}')");
        }

        // The leaf's hash is computed once per verified Passport (a cached chain hands the same object to every call).
        if (claims.TokenHash is not { } ath || !string.Equals(ath, leaf.TokenHash, StringComparison.Ordinal))
        {
            return ProofErrors.Invalid(ProofFailureReason.TokenHash, "the proof's ath is not the hash of the presented Passport (a proof over another token, such as a parent, is refused)");
        }

        if (CheckTarget(claims, expectation) is { } targetError)
        {
            return targetError;
        }

        if (CheckArguments(claims, expectation) is { } argsError)
        {
            return argsError;
        }

        long now = _time.GetUtcNow().ToUnixTimeSeconds();
        long window = (long)_policy.ProofWindow.TotalSeconds;
        if (claims.IssuedAt < now - window || claims.IssuedAt > now + window)
        {
            return ProofErrors.Invalid(ProofFailureReason.IssuedAt, $"the proof's iat is outside ± {window} s of now");
        }

        return null;
    }

    private static PassportError? CheckTarget(in ProofClaims claims, PassportProofExpectation expectation)
    {
        if (expectation.Operation is not null)
        {
            return claims.Operation is { } op && string.Equals(op, expectation.Operation, StringComparison.Ordinal)
                ? null
                : ProofErrors.Invalid(ProofFailureReason.Operation, $"the proof's op is not the call's operation ('{ParsedProof.Quote(expectation.Operation)}')");
        }

        if (claims.HttpMethod is not { } htm || !string.Equals(htm, expectation.HttpMethod, StringComparison.Ordinal))
        {
            return ProofErrors.Invalid(ProofFailureReason.HttpRequest, $"the proof's htm is not the request's method ('{ParsedProof.Quote(expectation.HttpMethod!)}')");
        }

        return claims.HttpUrl is { } htu && Uri.TryCreate(htu, UriKind.Absolute, out var uri)
            && string.IsNullOrEmpty(uri.Query) && string.IsNullOrEmpty(uri.Fragment)
            && string.Equals(PassportProof.HttpTarget(uri), expectation.HttpTarget, StringComparison.Ordinal)
            ? null
            : ProofErrors.Invalid(ProofFailureReason.HttpRequest, $"the proof's htu is not the request's URL ('{ParsedProof.Quote(expectation.HttpTarget!)}')");
    }

    private PassportError? CheckArguments(in ProofClaims claims, PassportProofExpectation expectation)
    {
        if (!claims.HasArguments)
        {
            return _policy.RequireArgumentBinding && expectation.Operation is not null
                ? ProofErrors.Invalid(ProofFailureReason.Arguments, "the policy requires the proof to bind the call's arguments (args); it has none")
                : null;
        }

        if (claims.Arguments is not { } args)
        {
            return ProofErrors.Invalid(ProofFailureReason.Arguments, "the proof's args must be a string");
        }

        if (expectation.Arguments is null)
        {
            return ProofErrors.Invalid(ProofFailureReason.Arguments, "the proof binds arguments (args) but the call's arguments are not known here, so they cannot be checked");
        }

        string? expected = expectation.ArgumentsHash;
        return expected is not null && string.Equals(args, expected, StringComparison.Ordinal)
            ? null
            : ProofErrors.Invalid(ProofFailureReason.Arguments, "the proof's args do not match the call's arguments");
    }

    private PassportVerificationKey? PublicKey(ParsedProof parsed, out PassportError? error)
    {
        error = null;

        // A holder's proofs repeat its jwk byte for byte: the last key is matched on the exact bytes without allocating.
        var last = _lastKey;
        var jwk = parsed.Jwk.Span;
        if (last is not null && string.Equals(last.Algorithm, parsed.Algorithm, StringComparison.Ordinal) && jwk.SequenceEqual(last.Jwk))
        {
            return last.Key;
        }

        // The exact JSON text of the jwk with the algorithm names the parsed key: the same text always parses to the same key.
        // (Other spellings of one key only cost a parse, and the cache is bounded.)
        string? cacheKey = jwk.Length <= 2048 ? parsed.Algorithm + " " + Encoding.UTF8.GetString(jwk) : null;
        if (cacheKey is null || !_keys.TryGetValue(cacheKey, out var key))
        {
            try
            {
                using var document = JsonDocument.Parse(parsed.Jwk);
                key = PassportVerificationKey.FromJwk(document.RootElement, parsed.Algorithm);
            }
            catch (FormatException ex)
            {
                error = ProofErrors.Invalid(ProofFailureReason.Key, $"the proof's jwk is not an allowed public key: {ex.Message}");
                return null;
            }

            if (cacheKey is not null && _keys.Count < MaxCachedKeys)
            {
                _keys.TryAdd(cacheKey, key);
            }
        }

        if (cacheKey is not null)
        {
            _lastKey = new RecentKey(parsed.Algorithm, jwk.ToArray(), key);
        }

        return key;
    }

    /// <summary>The key of the most recent proof, with the exact jwk bytes and algorithm it was parsed from.</summary>
    private sealed record RecentKey(string Algorithm, byte[] Jwk, PassportVerificationKey Key);
}
