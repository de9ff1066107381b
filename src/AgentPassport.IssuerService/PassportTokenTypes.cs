namespace AgentPassport.IssuerService;

/// <summary>The token type identifiers of the token-exchange endpoint (RFC 8693 §3).</summary>
public static class PassportTokenTypes
{
    /// <summary>The RFC 8693 token-exchange grant type.</summary>
    public const string TokenExchangeGrant = "urn:ietf:params:oauth:grant-type:token-exchange";

    /// <summary>An OpenID Connect ID token: exchanged for a root Passport.</summary>
    public const string IdToken = "urn:ietf:params:oauth:token-type:id_token";

    /// <summary>An Agent Passport: as a subject token, the parent of the child requested; as the issued token type, the Passport minted.</summary>
    public const string Passport = "urn:agent-passport:token-type:passport";
}
