namespace AgentPassport;

/// <summary>Which rule of proof-of-possession verification (spec v1.1 §11) an <see cref="PassportErrorKind.InvalidProof"/> broke.</summary>
public enum ProofFailureReason
{
    /// <summary>Not a proof failure.</summary>
    None = 0,

    /// <summary>Not a well-formed compact JWS: size over 8 KiB, segments, non-canonical base64url, not a JSON object, duplicate members.</summary>
    Malformed = 1,

    /// <summary>The header <c>typ</c> is not <c>agent-passport-proof+jwt</c>.</summary>
    Type = 2,

    /// <summary>The header <c>alg</c> is missing, <c>none</c>, <c>HS*</c> or not in the policy's proof allow-list.</summary>
    Algorithm = 3,

    /// <summary>The header <c>jwk</c> is missing, not a public key of an allowed type and size, or carries a private member.</summary>
    Key = 4,

    /// <summary>The header carries a member a proof must not have (<c>kid</c>, <c>jku</c>, <c>x5c</c>, <c>x5u</c>, <c>crit</c>…).</summary>
    ForbiddenHeader = 5,

    /// <summary>The signature does not verify with the header's <c>jwk</c>.</summary>
    Signature = 6,

    /// <summary>A required payload member is missing or mistyped.</summary>
    Claims = 7,

    /// <summary>The <c>aud</c> is not the audience being called (or the issuer, for delegation).</summary>
    Audience = 8,

    /// <summary>The <c>ath</c> is not the hash of the presented leaf Passport (for example a proof over a parent token).</summary>
    TokenHash = 9,

    /// <summary>The <c>op</c> is not the call's operation (the tool's required scope, or <c>delegate</c>).</summary>
    Operation = 10,

    /// <summary>The <c>htm</c> or <c>htu</c> is not the HTTP request's method or URL.</summary>
    HttpRequest = 11,

    /// <summary>The <c>args</c> hash does not match the call's arguments, or is missing where the policy requires argument binding.</summary>
    Arguments = 12,

    /// <summary>The <c>iat</c> is outside ± the proof window.</summary>
    IssuedAt = 13,

    /// <summary>The <c>jti</c> is missing or shorter than 96 bits.</summary>
    TokenId = 14,
}
