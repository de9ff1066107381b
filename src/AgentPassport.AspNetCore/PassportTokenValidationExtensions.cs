using System.Runtime.CompilerServices;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace AgentPassport.AspNetCore;

/// <summary>
/// Exports a <see cref="VerificationPolicy"/> as Microsoft.IdentityModel <see cref="TokenValidationParameters"/>, so a
/// stock <see cref="JsonWebTokenHandler"/> (or <c>AddJwtBearer</c>) at an edge — a gateway, an existing API — validates a
/// <b>leaf</b> Passport strictly: the explicit <c>typ</c>, the policy's algorithm allow-list, the exact <c>kid</c> looked up
/// only in the key set of the token's own <c>iss</c> and bound to the header's <c>alg</c> (never "try every key"), the
/// policy's skew, the trusted issuers, and the exact audience (one string, ordinal: no trailing-slash or case folding).
/// </summary>
/// <remarks>
/// Edge validation only: the chain, holder binding (<c>cnf</c> and the proof), revocation, assurance floors, scopes and
/// the claim rules need the <see cref="PassportVerifier"/> (the ASP.NET Core handler of this package uses it).
/// The key lookup is synchronous in Microsoft.IdentityModel: an in-memory or file key set answers at once; a remote JWKS
/// resolver answers from its cache and blocks the request thread only while it refreshes.
/// </remarks>
public static class PassportTokenValidationExtensions
{
    private static readonly ConditionalWeakTable<PassportVerificationKey, JsonWebKey> Converted = new();

    /// <summary>Exports the policy for a verifier trusting one issuer (the policy's only one) with <paramref name="keys"/>.</summary>
    /// <param name="policy">The policy; it must trust exactly one issuer.</param>
    /// <param name="keys">That issuer's keys.</param>
    /// <param name="timeProvider">The clock for token times; <see cref="TimeProvider.System"/> when null.</param>
    /// <returns>New parameters; each call builds its own.</returns>
    /// <exception cref="ArgumentException">The policy trusts more than one issuer (use the <see cref="TrustedIssuers"/> overload).</exception>
    public static TokenValidationParameters ToTokenValidationParameters(this VerificationPolicy policy, IPassportKeyResolver keys, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(keys);
        if (policy.Issuers.Count != 1)
        {
            throw new ArgumentException("One key set serves one issuer: the policy trusts several; pass a TrustedIssuers with each issuer's keys.", nameof(policy));
        }

        return ToTokenValidationParameters(policy, new TrustedIssuers().Add(policy.Issuers.Single(), keys), timeProvider);
    }

    /// <summary>Exports the policy for a verifier trusting several issuers, each with its own key set.</summary>
    /// <param name="policy">The policy.</param>
    /// <param name="issuers">The key set of every issuer the policy trusts (others are ignored).</param>
    /// <param name="timeProvider">The clock for token times; <see cref="TimeProvider.System"/> when null.</param>
    /// <returns>New parameters; each call builds its own.</returns>
    /// <exception cref="ArgumentException">An issuer the policy trusts has no key set.</exception>
    public static TokenValidationParameters ToTokenValidationParameters(this VerificationPolicy policy, TrustedIssuers issuers, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(issuers);
        var keySets = new Dictionary<string, IPassportKeyResolver>(StringComparer.Ordinal);
        foreach (var (issuer, keys) in issuers)
        {
            if (policy.Issuers.Contains(issuer))
            {
                keySets[issuer] = keys;
            }
        }

        if (policy.Issuers.FirstOrDefault(i => !keySets.ContainsKey(i)) is { } missing)
        {
            throw new ArgumentException($"The policy trusts '{missing}' but no key set is given for it.", nameof(issuers));
        }

        string audience = policy.Audience;
        return new TokenValidationParameters
        {
            ValidTypes = [PassportClaimNames.TokenType, "application/" + PassportClaimNames.TokenType],
            ValidAlgorithms = [.. policy.AllowedAlgorithms],
            ValidateIssuer = true,
            ValidIssuers = [.. policy.Issuers],
            ValidateAudience = true,
            ValidAudiences = [audience],
            IgnoreTrailingSlashWhenValidatingAudience = false,
            IgnoreCaseWhenValidatingAudience = false,
            AudienceValidator = (audiences, _, _) => ExactlyOne(audiences, audience),
            RequireAudience = true,
            ValidateLifetime = true,
            RequireExpirationTime = true,
            ClockSkew = policy.ClockSkew,
            LifetimeValidator = Lifetime(policy, timeProvider ?? TimeProvider.System),
            RequireSignedTokens = true,
            TryAllIssuerSigningKeys = false,
            IssuerSigningKeyResolver = (_, token, kid, _) => Resolve(keySets, token, kid),
            NameClaimType = PassportClaimTypes.Agent,
            RoleClaimType = "agent_passport/no-roles",
            AuthenticationType = PassportHttpWire.ChallengeScheme,
        };
    }

    // exp required; nbf and iat not after now + skew; exp not before now − skew; exp − iat within the policy's cap. On the
    // injected clock (Microsoft.IdentityModel's own reads the system clock).
    private static LifetimeValidator Lifetime(VerificationPolicy policy, TimeProvider time) => (notBefore, expires, token, _) =>
    {
        var now = time.GetUtcNow().UtcDateTime;
        var skew = policy.ClockSkew;
        if (expires is not { } exp || now > exp + skew || (notBefore is { } nbf && now < nbf - skew))
        {
            return false;
        }

        return token is JsonWebToken { IssuedAt: var iat } && iat != DateTime.MinValue && iat <= now + skew && exp - iat <= policy.MaxLifetime;
    };

    // The aud claim must be one value equal to this audience: an array naming it among others is another audience's token.
    private static bool ExactlyOne(IEnumerable<string> audiences, string audience)
    {
        using var e = audiences.GetEnumerator();
        return e.MoveNext() && string.Equals(e.Current, audience, StringComparison.Ordinal) && !e.MoveNext();
    }

    // Exactly the token's kid, only in its own issuer's key set, only for the key's own algorithm; nothing else is offered.
    private static IEnumerable<SecurityKey> Resolve(Dictionary<string, IPassportKeyResolver> keySets, SecurityToken token, string? kid)
    {
        if (token is not JsonWebToken jwt || string.IsNullOrEmpty(kid) || !keySets.TryGetValue(jwt.Issuer ?? string.Empty, out var keys))
        {
            return [];
        }

        PassportVerificationKey? key;
        try
        {
            var lookup = keys.FindKeyAsync(kid);
            key = lookup.IsCompletedSuccessfully ? lookup.Result : lookup.AsTask().GetAwaiter().GetResult();
        }
        catch (AgentPassportException)
        {
            return [];
        }

        if (key is null || !string.Equals(key.KeyId, kid, StringComparison.Ordinal) || !string.Equals(key.Algorithm, jwt.Alg, StringComparison.Ordinal))
        {
            return [];
        }

        return [Converted.GetValue(key, k => new JsonWebKey(k.ToJwkJson()))];
    }
}
