namespace AgentPassport.AspNetCore;

/// <summary>
/// What the Agent Passport handlers learned about one request: its credentials, the verified Passport, and the one
/// decision recorded for it. Held in <c>HttpContext.Features</c> so the decision is made (and audited) once per request.
/// </summary>
internal sealed class PassportRequestFeature(PassportHttpCredentials credentials, PassportContext? context)
{
    public PassportHttpCredentials Credentials { get; } = credentials;

    public PassportContext? Context { get; } = context;

    /// <summary>The Passport verified at authentication (no scope yet), or null.</summary>
    public VerifiedPassport? Verified { get; set; }

    /// <summary>Why authentication failed (malformed or invalid credential), or null.</summary>
    public PassportError? AuthenticationError { get; set; }

    /// <summary>The one authorization decision of this request, once made.</summary>
    public PassportDecision? Decision { get; set; }
}
