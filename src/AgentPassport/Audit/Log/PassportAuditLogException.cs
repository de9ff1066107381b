namespace AgentPassport;

/// <summary>
/// An audit log could not be opened, read or written. Thrown from <see cref="IPassportAuditSink.WriteAsync"/> by
/// <see cref="PassportAuditLog"/>, so the decision whose audit could not be written fails with it (the tool never runs).
/// Branch on <see cref="Kind"/>, never on the message; the message never contains a token or key.
/// </summary>
public sealed class PassportAuditLogException : Exception
{
    /// <summary>Initializes a new instance.</summary>
    /// <param name="kind">What failed.</param>
    /// <param name="message">What happened and what to do.</param>
    /// <param name="innerException">The cause, if any.</param>
    public PassportAuditLogException(PassportAuditLogErrorKind kind, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        Kind = kind;
    }

    /// <summary>Gets what failed.</summary>
    public PassportAuditLogErrorKind Kind { get; }
}
