namespace AgentPassport;

/// <summary>
/// A typed Passport failure: a stable <see cref="Kind"/> and <see cref="Code"/>, a human-readable message
/// that never contains a token or key, and for chain failures the rule that broke.
/// </summary>
public sealed record PassportError
{
    internal PassportError(PassportErrorKind kind, string message, ChainBrokenReason chainReason = ChainBrokenReason.None, int? chainIndex = null, PassportErrorDetails? details = null)
    {
        Kind = kind;
        Message = message;
        ChainReason = chainReason;
        ChainIndex = chainIndex;
        details ??= PassportErrorDetails.None;
        Details = details.ChainReason == chainReason ? details : details with { ChainReason = chainReason };
    }

    /// <summary>Gets the kind of failure.</summary>
    public PassportErrorKind Kind { get; }

    /// <summary>Gets the stable error code: <c>AP</c> plus four digits (for example <c>AP0009</c> for AudienceMismatch, <c>AP1504</c> for a parent-hash mismatch).</summary>
    public string Code => ChainReason == ChainBrokenReason.None
        ? $"AP{(int)Kind:D4}"
        : $"AP{(int)Kind:D2}{(int)ChainReason:D2}";

    /// <summary>Gets the error name used by the CLI and the docs (the <see cref="Kind"/> name).</summary>
    public string Name => Kind.ToString();

    /// <summary>Gets a description of the failure. It never contains a token, a signature or key material.</summary>
    public string Message { get; }

    /// <summary>Gets the chain rule that broke, or <see cref="ChainBrokenReason.None"/>.</summary>
    public ChainBrokenReason ChainReason { get; }

    /// <summary>Gets the index (0 = chain root) of the token the failure is about, when it is about a chain member; null for the leaf or when not applicable.</summary>
    public int? ChainIndex { get; }

    /// <summary>Gets the typed facts of the failure (kid, algorithm, issuer, audiences, levels, link <c>jti</c>s); never null.</summary>
    public PassportErrorDetails Details { get; }

    /// <inheritdoc />
    public override string ToString() => ChainReason == ChainBrokenReason.None
        ? $"{Name}: {Message}"
        : $"{Name} ({ChainReason}): {Message}";
}
