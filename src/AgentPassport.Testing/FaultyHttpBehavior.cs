namespace AgentPassport.Testing;

/// <summary>How a <see cref="FaultyHttpServer"/> endpoint answers.</summary>
public enum FaultyHttpBehavior
{
    /// <summary>A correct document.</summary>
    Healthy = 0,

    /// <summary>HTTP 500 every time.</summary>
    ServerError = 1,

    /// <summary>A correct document after <see cref="FaultyHttpServer.SlowDelay"/>.</summary>
    Slow = 2,

    /// <summary>HTTP 200 with text that is not JSON.</summary>
    Garbage = 3,

    /// <summary>HTTP 200 with JSON that is not an object (an array).</summary>
    NonObjectJson = 4,

    /// <summary>Discovery only: a document without <c>jwks_uri</c>.</summary>
    MissingJwksUri = 5,

    /// <summary>Discovery only: a document whose <c>issuer</c> is another provider's.</summary>
    WrongIssuer = 6,

    /// <summary>JWKS only: an object without a <c>keys</c> array.</summary>
    NotAJwks = 7,

    /// <summary>HTTP 404.</summary>
    NotFound = 8,

    /// <summary>
    /// Valid JSON whose <c>issuer</c> (discovery) or first key's <c>kid</c> (JWKS) is an escaped lone surrogate,
    /// <c>"\ud800"</c>: text a JSON parser accepts but no string can hold.
    /// </summary>
    LoneSurrogate = 9,
}
