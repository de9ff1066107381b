namespace AgentPassport.ModelContextProtocol;

/// <summary>
/// How a Passport and its chain travel with an MCP request. Over HTTP: <c>Authorization: Bearer &lt;passport&gt;</c> and
/// <c>Agent-Passport-Chain: &lt;root&gt;,&lt;…&gt;,&lt;parent&gt;</c> (compact tokens, root first, comma-separated; absent for a
/// root Passport). Over any transport (stdio included): the request's <c>_meta</c> with
/// <c>"agent-passport/token": "&lt;passport&gt;"</c> and <c>"agent-passport/chain": ["&lt;root&gt;", …]</c>.
/// The HTTP headers are used when an <c>Authorization</c> header is present on the request that carried the call (never
/// a stream opener's); a request carrying two different Passports (header and <c>_meta</c>) is denied. At most
/// <see cref="PassportLimits.MaxChainDepth"/> parents of at most <see cref="PassportLimits.MaxTokenBytes"/> each
/// (<see cref="PassportInputLimits"/>), measured before anything is copied.
/// </summary>
public static class PassportMcpWire
{
    /// <summary>The authorization scheme of the HTTP header.</summary>
    public const string AuthorizationScheme = "Bearer";

    /// <summary>The HTTP header with the parents' compact tokens, root first, comma-separated.</summary>
    public const string ChainHeaderName = "Agent-Passport-Chain";

    /// <summary>The <c>_meta</c> key of the compact Passport (a string).</summary>
    public const string MetaTokenKey = "agent-passport/token";

    /// <summary>The <c>_meta</c> key of the parents' compact tokens (an array of strings, root first).</summary>
    public const string MetaChainKey = "agent-passport/chain";

    /// <summary>The <c>_meta</c> key of the caller's proof of possession for this call (a string; holder-bound Passports, spec v1.1 §11).</summary>
    public const string MetaProofKey = "agent-passport/proof";

    /// <summary>The <c>_meta</c> key a denied call's result carries (<c>true</c>).</summary>
    public const string MetaDeniedKey = "agent-passport/denied";
}
