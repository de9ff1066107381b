namespace AgentPassport;

/// <summary>
/// The typed facts behind a <see cref="PassportError"/>: what a caller needs to act on a failure without parsing its
/// message. Each property is set only when the failure is about it; values are whole (never clipped) and never contain a
/// token, a signature or key material. Values read from a token that failed are unverified, attacker-chosen text.
/// </summary>
public sealed record PassportErrorDetails
{
    /// <summary>Gets an instance with no details.</summary>
    public static PassportErrorDetails None { get; } = new();

    /// <summary>Gets the header <c>kid</c> (KeyNotFound, InvalidSignature).</summary>
    public string? KeyId { get; init; }

    /// <summary>Gets the header <c>alg</c> (AlgorithmNotAllowed, KeyNotFound, InvalidSignature).</summary>
    public string? Algorithm { get; init; }

    /// <summary>Gets the token's <c>iss</c> (UntrustedIssuer, KeyNotFound, ChainBroken IssuerChanged: the link's issuer).</summary>
    public string? Issuer { get; init; }

    /// <summary>Gets the verifier's audience (AudienceMismatch).</summary>
    public string? ExpectedAudience { get; init; }

    /// <summary>Gets the token's <c>aud</c> (AudienceMismatch).</summary>
    public string? ActualAudience { get; init; }

    /// <summary>Gets the policy's floor (IAL/AAL/FALInsufficient).</summary>
    public int? RequiredLevel { get; init; }

    /// <summary>Gets the token's level; null when the token has none (IAL/AAL/FALInsufficient).</summary>
    public int? ActualLevel { get; init; }

    /// <summary>Gets the child's <c>jti</c> in a broken link, or the repeated <c>jti</c> (ChainBroken).</summary>
    public string? ChildTokenId { get; init; }

    /// <summary>Gets the parent's <c>jti</c> in a broken link (ChainBroken).</summary>
    public string? ParentTokenId { get; init; }

    /// <summary>Gets the revoked link's <c>jti</c> (Revoked).</summary>
    public string? RevokedTokenId { get; init; }

    /// <summary>Gets what the matching revocation entry revokes: a <c>jti</c>, a principal or an agent (Revoked).</summary>
    public RevocationEntryKind RevocationKind { get; init; }

    /// <summary>Gets the capability (<c>tool_scope</c> entry) whose constraint refused (ConstraintViolation, ScopeAttenuation, ChainBroken ConstraintWidened, a refused mint).</summary>
    public string? Scope { get; init; }

    /// <summary>Gets the argument whose constraint refused (same kinds as <see cref="Scope"/>).</summary>
    public string? Argument { get; init; }

    /// <summary>Gets the part of the constraint that refused: <c>eq</c>, <c>in</c>, <c>min</c>, <c>max</c>, <c>prefix</c>, <c>maxLength</c>, <c>regex</c> (same kinds as <see cref="Scope"/>).</summary>
    public string? Constraint { get; init; }

    /// <summary>Gets the chain rule that broke, or <see cref="ChainBrokenReason.None"/> (the same as <see cref="PassportError.ChainReason"/>).</summary>
    public ChainBrokenReason ChainReason { get; init; }

    /// <summary>Gets which rule of proof verification failed (InvalidProof); <see cref="ProofFailureReason.None"/> otherwise.</summary>
    public ProofFailureReason ProofReason { get; init; }

    /// <summary>Gets the thumbprint the Passport is bound to (<c>cnf.jkt</c>; HolderMismatch).</summary>
    public string? ExpectedThumbprint { get; init; }

    /// <summary>Gets the thumbprint of the key that signed the proof (HolderMismatch, ReplayDetected).</summary>
    public string? ActualThumbprint { get; init; }
}
