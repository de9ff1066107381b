namespace AgentPassport;

/// <summary>
/// The one exception type of the library for token, issuance and identity failures. It carries the typed
/// <see cref="PassportError"/>; branch on <see cref="Kind"/>, never on the message.
/// Misuse (null arguments, invalid configuration) throws the standard argument exceptions instead.
/// </summary>
public sealed class AgentPassportException : Exception
{
    /// <summary>Initializes a new instance carrying <paramref name="error"/>.</summary>
    /// <param name="error">The typed error.</param>
    public AgentPassportException(PassportError error)
        : base((error ?? throw new ArgumentNullException(nameof(error))).ToString())
    {
        Error = error;
    }

    /// <summary>Initializes a new instance carrying <paramref name="error"/> and the exception that caused it.</summary>
    /// <param name="error">The typed error.</param>
    /// <param name="innerException">The cause.</param>
    public AgentPassportException(PassportError error, Exception? innerException)
        : base((error ?? throw new ArgumentNullException(nameof(error))).ToString(), innerException)
    {
        Error = error;
    }

    /// <summary>Gets the typed error.</summary>
    public PassportError Error { get; }

    /// <summary>Gets the kind of failure.</summary>
    public PassportErrorKind Kind => Error.Kind;

    /// <summary>Creates an exception of the given kind. Used by the library's layers (OIDC, issuance) to report typed failures.</summary>
    /// <param name="kind">The kind.</param>
    /// <param name="message">A description that never contains a token or key.</param>
    /// <param name="innerException">The cause, if any.</param>
    /// <returns>The exception.</returns>
    public static AgentPassportException Create(PassportErrorKind kind, string message, Exception? innerException = null) =>
        new(new PassportError(kind, message), innerException);
}
