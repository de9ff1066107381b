namespace AgentPassport;

/// <summary>Builds the typed errors the verification rules report; called only when a rule fails.</summary>
internal static class VerificationErrors
{
    /// <summary>A <see cref="PassportErrorKind.ChainBroken"/> error with its reason.</summary>
    public static PassportError Broken(ChainBrokenReason reason, string message, int? index, PassportErrorDetails? details = null) =>
        new(PassportErrorKind.ChainBroken, message, reason, index, details);

    /// <summary>The error of the token at chain position <paramref name="index"/> (null for the leaf), prefixed with <c>chain[i]</c>.</summary>
    public static PassportError At(PassportError error, int? index) =>
        index is null ? error : new PassportError(error.Kind, $"chain[{index}]: {error.Message}", error.ChainReason, index, error.Details);
}
