namespace AgentPassport.AspNetCore;

/// <summary>
/// The claim types of the <see cref="System.Security.Claims.ClaimsPrincipal"/> the Agent Passport authentication handler
/// produces: the Passport's own claim names as they are on the wire (stable; never remapped to WS-* URIs), so a principal
/// from <see cref="PassportTokenValidationExtensions.ToTokenValidationParameters(VerificationPolicy, IPassportKeyResolver, TimeProvider?)"/>
/// at an edge carries the same types for the flat claims. Every value comes from the verified Passport; the identity's
/// name is the agent id. (The handler flattens <c>act</c> into one claim per agent; an edge principal keeps it as JSON.)
/// </summary>
public static class PassportClaimTypes
{
    /// <summary>The principal (<c>sub</c>): the person the agents act for.</summary>
    public const string Principal = "sub";

    /// <summary>The agent holding the leaf Passport (<c>…/claims/agent_id</c>); also the identity's name.</summary>
    public const string Agent = PassportClaimNames.AgentId;

    /// <summary>The agent's model (<c>…/claims/agent_model</c>).</summary>
    public const string AgentModel = PassportClaimNames.AgentModel;

    /// <summary>One granted tool scope (<c>…/claims/tool_scope</c>), one claim per entry.</summary>
    public const string Scope = PassportClaimNames.ToolScope;

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

    /// <summary>The delegation depth (0 for a root Passport); the handler's only, not a wire claim.</summary>
    public const string Depth = "agent_passport/depth";
}
