namespace AgentPassport;

/// <summary>A failed HTTP attempt worth retrying (5xx, 408, 429, a client-side timeout). Never leaves the library.</summary>
internal sealed class TransientHttpException : Exception
{
    public TransientHttpException(string message, Exception? inner = null)
        : base(message, inner)
    {
    }

    public TransientHttpException()
    {
    }

    public TransientHttpException(string message)
        : base(message)
    {
    }
}
