namespace AgentPassport;

/// <summary>The typed errors of holder binding (spec v1.1 §11).</summary>
internal static class ProofErrors
{
    public static PassportError Invalid(ProofFailureReason reason, string message) =>
        new(PassportErrorKind.InvalidProof, message, details: new PassportErrorDetails { ProofReason = reason });

    public static PassportError Required(string message) => new(PassportErrorKind.ProofRequired, message);

    public static PassportError Mismatch(string message, string? expected, string? actual) =>
        new(PassportErrorKind.HolderMismatch, message, details: new PassportErrorDetails { ExpectedThumbprint = expected, ActualThumbprint = actual });
}
