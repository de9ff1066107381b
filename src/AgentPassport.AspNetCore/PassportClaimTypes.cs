namespace AgentPassport.AspNetCore;

/// <summary>
/// The claim types of the <see cref="System.Security.Claims.ClaimsPrincipal"/> the Agent Passport authentication handler
/// produces: the Passport's own claim names (stable; never remapped to WS-* URIs). Every value comes from the verified
/// Passport; the identity's name is the agent id.
/// </summary>
public static class PassportClaimTypes
{
    /// <summary>The principal (<c>sub</c>): the person the agents act for.</summary>
    public const string Principal = "sub";

    /// <summary>The agent holding the leaf Passport (<c>agent_id</c>); also the identity's name.</summary>
    public const string Agent = "agent_id";

    /// <summary>The agent's model (<c>agent_model</c>).</summary>
    public const string AgentModel = "agent_model";

    /// <summary>One granted tool scope (<c>tool_scope</c>), one claim per entry.</summary>
    public const string Scope = "tool_scope";

    /// <summary>The identity assurance level (<c>ial</c>), when present.</summary>
    public const string Ial = "ial";

    /// <summary>The authenticator assurance level (<c>aal</c>), when present.</summary>
    public const string Aal = "aal";

    /// <summary>The federation assurance level (<c>fal</c>), when present.</summary>
    public const string Fal = "fal";

    /// <summary>The authentication context class (<c>acr</c>), when present.</summary>
    public const string Acr = "acr";

    /// <summary>One actor of the RFC 8693 <c>act</c> chain, one claim per agent, the current holder first.</summary>
    public const string Actor = "act";

    /// <summary>The issuer (<c>iss</c>).</summary>
    public const string Issuer = "iss";

    /// <summary>The leaf's audience (<c>aud</c>).</summary>
    public const string Audience = "aud";

    /// <summary>The leaf's token id (<c>jti</c>).</summary>
    public const string TokenId = "jti";

    /// <summary>The delegation depth (0 for a root Passport).</summary>
    public const string Depth = "agent_passport/depth";
}
