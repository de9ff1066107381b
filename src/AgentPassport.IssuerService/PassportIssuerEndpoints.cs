namespace AgentPassport.IssuerService;

/// <summary>The paths <c>MapAgentPassportIssuer</c> maps, relative to its prefix (which should be the issuer URL's path).</summary>
public static class PassportIssuerEndpoints
{
    /// <summary>The RFC 8414 authorization server metadata.</summary>
    public const string Metadata = "/.well-known/oauth-authorization-server";

    /// <summary>The issuer's public keys (JWKS), served with <c>Cache-Control</c> from the rotation schedule.</summary>
    public const string Jwks = "/jwks.json";

    /// <summary>The RFC 8693 token-exchange endpoint.</summary>
    public const string Token = "/token";

    /// <summary>The revocation endpoint (RFC 7009 style).</summary>
    public const string Revocation = "/revoke";

    /// <summary>The proof operation (<c>op</c>) a holder signs to revoke its holder-bound Passport; the proof's <c>aud</c> is the issuer URL.</summary>
    public const string RevokeOperation = "revoke";
}
