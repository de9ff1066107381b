using AgentPassport.Jose;

namespace AgentPassport;

/// <summary>
/// Spec §5 steps 1–4 for one token of a chain: size, shape and header (<see cref="ParsedPassportToken"/>), the key set of
/// the token's own <c>iss</c>, the key by exact <c>kid</c> bound to the header's algorithm, the signature, the claim
/// schema, then <see cref="IssuerRule"/> and <see cref="LifetimeRule"/>.
/// </summary>
internal static class TokenVerification
{
    /// <summary>Verifies one token; <paramref name="index"/> is its chain position (null for the leaf), named in its errors.</summary>
    public static async ValueTask<(Passport? Passport, VerifiedChainCache.KeyUse Key, PassportError? Error)> VerifyAsync(
        string token, VerificationPolicy policy, IssuerKeySets keySets, DateTimeOffset now, int? index, CancellationToken cancellationToken)
    {
        var parsed = ParsedPassportToken.Parse(token, policy.MaxTokenBytes, policy.AllowedAlgorithms, out var error);
        if (parsed is null)
        {
            return Fail(error!, index);
        }

        // Spec v1.1 §10: the token's own iss picks the one key set its kid may come from. The iss is unverified here; a
        // forged one only selects a key set the signature must then verify against.
        string? issuer = parsed.UnverifiedIssuer;
        if (string.IsNullOrEmpty(issuer))
        {
            return Fail(new PassportError(PassportErrorKind.MalformedClaims, parsed.SchemaError ?? "iss must not be empty"), index);
        }

        var keySet = IssuerRule.Trusts(issuer, policy) ? keySets.For(issuer) : null;
        if (keySet is null)
        {
            return Fail(IssuerRule.Untrusted(issuer), index);
        }

        PassportVerificationKey? key;
        try
        {
            key = await keySet.FindKeyAsync(parsed.KeyId, cancellationToken).ConfigureAwait(false);
        }
        catch (AgentPassportException ex)
        {
            // A remote resolver could not reach the issuer's keys (JwksError): a typed refusal, never an escape or an accept.
            return Fail(ex.Error, index);
        }

        var keyDetails = new PassportErrorDetails { KeyId = parsed.KeyId, Algorithm = parsed.Algorithm, Issuer = issuer };
        if (key is null || !string.Equals(key.Algorithm, parsed.Algorithm, StringComparison.Ordinal))
        {
            return Fail(new PassportError(PassportErrorKind.KeyNotFound, $"no key of the issuer '{ParsedPassportToken.Truncate(issuer)}' has kid={ParsedPassportToken.Truncate(parsed.KeyId)} for {parsed.Algorithm}", details: keyDetails), index);
        }

        if (!parsed.VerifySignature(key))
        {
            return Fail(new PassportError(PassportErrorKind.InvalidSignature, "the signature does not verify", details: keyDetails), index);
        }

        if (parsed.SchemaError is not null)
        {
            return Fail(new PassportError(PassportErrorKind.MalformedClaims, parsed.SchemaError), index);
        }

        var passport = parsed.Passport!;
        var claimError = IssuerRule.Check(passport.Issuer, policy) ?? LifetimeRule.Check(passport, policy, now);
        return claimError is null ? (passport, new VerifiedChainCache.KeyUse(issuer, parsed.KeyId, key), null) : Fail(claimError, index);
    }

    private static (Passport?, VerifiedChainCache.KeyUse, PassportError?) Fail(PassportError error, int? index) =>
        (null, default, VerificationErrors.At(error, index));
}
