namespace AgentPassport;

/// <summary>
/// The kind of a Passport failure. Names are the wire-stable error names used by the CLI and docs
/// (the reference project's names); callers branch on the kind, never on the message.
/// </summary>
public enum PassportErrorKind
{
    /// <summary>The token is not a well-formed Passport JWS (size, segments, header, <c>typ</c>, forbidden header members).</summary>
    InvalidToken = 1,

    /// <summary>The header <c>alg</c> is not in the policy's allow-list.</summary>
    AlgorithmNotAllowed = 2,

    /// <summary>No trusted key has the header's exact <c>kid</c> and algorithm.</summary>
    KeyNotFound = 3,

    /// <summary>The signature does not verify.</summary>
    InvalidSignature = 4,

    /// <summary>The claim set breaks the Passport schema (missing or mistyped claim, duplicate member, level out of range).</summary>
    MalformedClaims = 5,

    /// <summary>The <c>iss</c> is not trusted by the policy.</summary>
    UntrustedIssuer = 6,

    /// <summary>The token is past its <c>exp</c> (beyond the allowed clock skew).</summary>
    Expired = 7,

    /// <summary>The token is before its <c>nbf</c> (beyond the allowed clock skew).</summary>
    NotYetValid = 8,

    /// <summary>The leaf's <c>aud</c> is not exactly the verifier's audience.</summary>
    AudienceMismatch = 9,

    /// <summary>The identity assurance level is missing or below the policy floor.</summary>
    IALInsufficient = 10,

    /// <summary>The authenticator assurance level is missing or below the policy floor.</summary>
    AALInsufficient = 11,

    /// <summary>The federation assurance level is missing or below the policy floor.</summary>
    FALInsufficient = 12,

    /// <summary>The leaf's scopes do not cover the required scope.</summary>
    ScopeViolation = 13,

    /// <summary>The leaf carries the <c>*</c> scope and the policy does not allow wildcards.</summary>
    WildcardScopeNotAllowed = 14,

    /// <summary>The delegation chain is not continuous; <see cref="PassportError.ChainReason"/> names the rule.</summary>
    ChainBroken = 15,

    /// <summary>Enforcement refused a call: no Passport is attached to the agent that executes it.</summary>
    NoPassport = 16,

    /// <summary>Enforcement refused a call: no concrete scope requirement could be resolved for the tool (unmapped, malformed or a pattern).</summary>
    NoScopeRequirement = 17,

    /// <summary>Issuance refused: a requested scope is not covered by the parent's scopes.</summary>
    ScopeAttenuation = 20,

    /// <summary>Issuance refused: the request itself is invalid (TTL, scopes, depth, identity).</summary>
    IssuanceRefused = 21,

    /// <summary>The OpenID provider's discovery document could not be fetched or is invalid.</summary>
    DiscoveryError = 30,

    /// <summary>The OpenID provider's JWKS could not be fetched, is invalid, or lacks the key.</summary>
    JwksError = 31,

    /// <summary>The ID token's <c>acr</c> is not understood by the configured mapping.</summary>
    UnsupportedAcr = 32,

    /// <summary>The interactive login (authorization code + PKCE) failed.</summary>
    LoginError = 33,

    /// <summary>The ID token failed validation for a reason not covered by a more specific kind.</summary>
    InvalidIdToken = 34,

    /// <summary>A link of the chain (or the leaf) is revoked (spec v1.1 §12); <see cref="PassportError.ChainIndex"/> and <see cref="PassportErrorDetails.RevocationKind"/> say which and why.</summary>
    Revoked = 40,

    /// <summary>The revocation store cannot vouch for its view (too stale, unreadable), so nothing is accepted (fail closed).</summary>
    RevocationUnavailable = 41,

    /// <summary>The Passport is holder-bound (or the policy requires holder binding) and the call carries no proof of possession (spec v1.1 §11).</summary>
    ProofRequired = 42,

    /// <summary>The proof of possession is malformed or does not match the call; <see cref="PassportErrorDetails.ProofReason"/> says which rule.</summary>
    InvalidProof = 43,

    /// <summary>The proof is signed by a key other than the one the Passport is bound to (<c>cnf.jkt</c>), or the Passport is not bound where binding is required.</summary>
    HolderMismatch = 44,

    /// <summary>The proof's <c>jti</c> was already used with this holder key inside the proof window.</summary>
    ReplayDetected = 45,

    /// <summary>The replay cache could not record the proof (full, unreachable, timed out), so the call is refused (fail closed).</summary>
    ReplayCacheUnavailable = 46,

    /// <summary>The call's arguments satisfy no capability covering the required scope (spec v1.1 §13): a constrained argument is out of bounds, missing, null, of the wrong type or not an exact decimal.</summary>
    ConstraintViolation = 47,
}
