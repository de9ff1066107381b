namespace AgentPassport.ModelContextProtocol;

/// <summary>
/// How a Passport, its chain and the holder's proof travel with an MCP request (spec v1.1 §15). Over HTTP: the headers of
/// <see cref="AgentPassport.AspNetCore.PassportHttpWire"/> — <c>Agent-Passport: &lt;passport&gt;</c> (or
/// <c>Authorization: Bearer &lt;passport&gt;</c> unless <see cref="PassportMcpOptions.ReserveAuthorizationHeader"/>),
/// <c>Agent-Passport-Chain: &lt;root&gt;,&lt;…&gt;,&lt;parent&gt;</c> (root first; absent for a root Passport),
/// <c>Agent-Passport-Proof: &lt;proof&gt;</c>. Over any transport (stdio included): the request's <c>_meta</c> with
/// <c>"agent-passport/token"</c>, <c>"agent-passport/chain": ["&lt;root&gt;", …]</c> and <c>"agent-passport/proof"</c>.
/// The HTTP headers are read only from the request that carried the call (never a stream opener's); a request carrying two
/// different Passports or two different proofs (headers and <c>_meta</c>) is denied. At most
/// <see cref="PassportLimits.MaxChainDepth"/> parents of at most <see cref="PassportLimits.MaxTokenBytes"/> each
/// (<see cref="PassportInputLimits"/>), measured before anything is copied.
/// </summary>
public static class PassportMcpWire
{
    /// <summary>The authorization scheme of the HTTP header.</summary>
    public const string AuthorizationScheme = "Bearer";

    /// <summary>The HTTP header with the leaf Passport (beside, or instead of, <c>Authorization: Bearer</c>).</summary>
    public const string PassportHeaderName = AgentPassport.AspNetCore.PassportHttpWire.PassportHeaderName;

    /// <summary>The HTTP header with the parents' compact tokens, root first, comma-separated.</summary>
    public const string ChainHeaderName = AgentPassport.AspNetCore.PassportHttpWire.ChainHeaderName;

    /// <summary>The HTTP header with the holder's proof of possession (<c>op</c> = the tool's required scope).</summary>
    public const string ProofHeaderName = AgentPassport.AspNetCore.PassportHttpWire.ProofHeaderName;

    /// <summary>The <c>_meta</c> key of the compact Passport (a string).</summary>
    public const string MetaTokenKey = "agent-passport/token";

    /// <summary>The <c>_meta</c> key of the parents' compact tokens (an array of strings, root first).</summary>
    public const string MetaChainKey = "agent-passport/chain";

    /// <summary>The <c>_meta</c> key of the holder's compact proof of possession (a string; <c>op</c> = the tool's required scope).</summary>
    public const string MetaProofKey = "agent-passport/proof";

    /// <summary>The <c>_meta</c> key a denied call's result carries (<c>true</c>).</summary>
    public const string MetaDeniedKey = "agent-passport/denied";
}
