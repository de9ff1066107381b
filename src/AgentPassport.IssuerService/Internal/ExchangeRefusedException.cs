namespace AgentPassport.IssuerService;

/// <summary>A request the service refuses before the core sees it, with its RFC 6749 error; never leaves the endpoint.</summary>
internal sealed class ExchangeRefusedException(int status, string error, string message) : Exception(message)
{
    public int Status { get; } = status;

    public string Error { get; } = error;
}
