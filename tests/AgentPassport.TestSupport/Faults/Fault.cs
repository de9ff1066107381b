using AgentPassport.Testing;

namespace AgentPassport.TestSupport.Faults;

/// <summary>What goes wrong at an endpoint of a <see cref="FaultyHttpServer"/>.</summary>
public enum Fault
{
    /// <summary>The server is stopped: connections are refused.</summary>
    Down,

    /// <summary>The endpoint answers only after 20 s, far beyond any client timeout.</summary>
    Slow,

    /// <summary>HTTP 500 every time.</summary>
    ServerError,

    /// <summary>HTTP 200 with text that is not JSON.</summary>
    Garbage,

    /// <summary>HTTP 200 with a JSON array.</summary>
    NonObjectJson,

    /// <summary>JWKS only: an object without a <c>keys</c> array.</summary>
    NotAJwks,
}
