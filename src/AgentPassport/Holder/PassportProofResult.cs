using System.Diagnostics.CodeAnalysis;

namespace AgentPassport;

/// <summary>The outcome of <see cref="PassportProofVerifier.VerifyAsync"/>: accepted (with the proof's <c>jti</c> and key thumbprint for the audit record) or a typed error.</summary>
public sealed class PassportProofResult
{
    private PassportProofResult(PassportError? error, string? proofId, string? thumbprint)
    {
        Error = error;
        ProofId = proofId;
        Thumbprint = thumbprint;
    }

    /// <summary>Gets a value indicating whether the call may proceed as far as holder binding goes.</summary>
    [MemberNotNullWhen(false, nameof(Error))]
    public bool Succeeded => Error is null;

    /// <summary>Gets the typed error on failure.</summary>
    public PassportError? Error { get; }

    /// <summary>Gets the accepted proof's <c>jti</c>; null when the Passport is not bound and no proof was needed.</summary>
    public string? ProofId { get; }

    /// <summary>Gets the thumbprint of the key that signed the accepted proof; null when no proof was needed.</summary>
    public string? Thumbprint { get; }

    /// <summary>Gets a value indicating whether a proof was checked and accepted (false for an unbound Passport that needed none).</summary>
    public bool HasProof => Succeeded && ProofId is not null;

    internal static PassportProofResult NotNeeded { get; } = new(null, null, null);

    internal static PassportProofResult Accepted(string proofId, string thumbprint) => new(null, proofId, thumbprint);

    internal static PassportProofResult Failed(PassportError error) => new(error, null, null);
}
