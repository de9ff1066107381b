namespace AgentPassport.IssuerService;

/// <summary>
/// The issuer service refused a token exchange or a revocation (an RFC 6749 §5.2 error), or could not be reached after
/// the client's retries (<see cref="OAuthError"/> <c>temporarily_unavailable</c>, <see cref="StatusCode"/> null).
/// </summary>
public sealed class PassportTokenExchangeException : Exception
{
    /// <summary>Initializes an exception.</summary>
    /// <param name="oauthError">The RFC 6749 error code.</param>
    /// <param name="message">The service's <c>error_description</c> (inert text) or the transport failure.</param>
    /// <param name="kind">The Agent Passport error kind the service named, if any.</param>
    /// <param name="statusCode">The HTTP status, or null when no response came.</param>
    /// <param name="innerException">The transport failure, if any.</param>
    public PassportTokenExchangeException(string oauthError, string message, PassportErrorKind? kind = null, int? statusCode = null, Exception? innerException = null)
        : base(message, innerException)
    {
        OAuthError = oauthError;
        Kind = kind;
        StatusCode = statusCode;
    }

    /// <summary>Initializes an exception.</summary>
    public PassportTokenExchangeException()
        : this("temporarily_unavailable", "the issuer service failed")
    {
    }

    /// <summary>Initializes an exception.</summary>
    /// <param name="message">The message.</param>
    public PassportTokenExchangeException(string message)
        : this("temporarily_unavailable", message)
    {
    }

    /// <summary>Initializes an exception.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public PassportTokenExchangeException(string message, Exception innerException)
        : this("temporarily_unavailable", message, null, null, innerException)
    {
    }

    /// <summary>Gets the RFC 6749 error code (<c>invalid_grant</c>, <c>invalid_scope</c>, <c>invalid_target</c>, <c>temporarily_unavailable</c>, …).</summary>
    public string OAuthError { get; }

    /// <summary>Gets the Agent Passport error kind the service named (<c>agent_passport_error</c>), if any.</summary>
    public PassportErrorKind? Kind { get; }

    /// <summary>Gets the HTTP status, or null when the service could not be reached.</summary>
    public int? StatusCode { get; }
}
