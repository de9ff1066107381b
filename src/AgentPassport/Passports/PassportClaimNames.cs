namespace AgentPassport;

/// <summary>The claim and header names of a Passport (spec §2). Agent claims share the reference project's namespace so both can read each other's tokens.</summary>
public static class PassportClaimNames
{
    /// <summary>The namespace prefix of the agent claims.</summary>
    public const string AgentClaimPrefix = "https://agent-passport.org/claims/";

    /// <summary>The required <c>typ</c> header value (compared case-insensitively, with or without <c>application/</c>).</summary>
    public const string TokenType = "agent-passport+jwt";

    /// <summary><c>iss</c>.</summary>
    public const string Issuer = "iss";

    /// <summary><c>sub</c>: the principal.</summary>
    public const string Subject = "sub";

    /// <summary><c>aud</c>: one string.</summary>
    public const string Audience = "aud";

    /// <summary><c>iat</c>.</summary>
    public const string IssuedAt = "iat";

    /// <summary><c>nbf</c>.</summary>
    public const string NotBefore = "nbf";

    /// <summary><c>exp</c>.</summary>
    public const string ExpiresAt = "exp";

    /// <summary><c>jti</c>.</summary>
    public const string TokenId = "jti";

    /// <summary><c>acr</c>.</summary>
    public const string Acr = "acr";

    /// <summary><c>ial</c>.</summary>
    public const string Ial = "ial";

    /// <summary><c>aal</c>.</summary>
    public const string Aal = "aal";

    /// <summary><c>fal</c>.</summary>
    public const string Fal = "fal";

    /// <summary><c>cnf</c> (RFC 7800): the holder binding, exactly <c>{"jkt": thumbprint}</c> (spec v1.1 §11).</summary>
    public const string Confirmation = "cnf";

    /// <summary>The member of <c>cnf</c> holding the RFC 7638 SHA-256 thumbprint of the holder's public key (RFC 9449 §6.1).</summary>
    public const string ConfirmationThumbprint = "jkt";

    /// <summary><c>act</c> (RFC 8693).</summary>
    public const string Actor = "act";

    /// <summary>The holder agent's id.</summary>
    public const string AgentId = AgentClaimPrefix + "agent_id";

    /// <summary>The holder agent's model name (audit only).</summary>
    public const string AgentModel = AgentClaimPrefix + "agent_model";

    /// <summary>The granted scopes.</summary>
    public const string ToolScope = AgentClaimPrefix + "tool_scope";

    /// <summary>The task purpose (audit only).</summary>
    public const string TaskPurpose = AgentClaimPrefix + "task_purpose";

    /// <summary>The parent's <c>jti</c> (children only).</summary>
    public const string ParentJti = AgentClaimPrefix + "parent_jti";

    /// <summary>The base64url SHA-256 of the parent's compact serialization (children only).</summary>
    public const string ParentHash = AgentClaimPrefix + "parent_hash";

    /// <summary>How many further delegation hops are allowed below this token.</summary>
    public const string MaxDepth = AgentClaimPrefix + "max_depth";

    /// <summary>The argument constraints claim (spec v1.1 §13): an object keyed by <c>tool_scope</c> entries.</summary>
    public const string Constraints = AgentClaimPrefix + "constraints";
}
