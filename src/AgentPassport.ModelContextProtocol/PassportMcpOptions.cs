namespace AgentPassport.ModelContextProtocol;

/// <summary>Configures Agent Passport enforcement on an MCP server.</summary>
public sealed class PassportMcpOptions
{
    /// <summary>
    /// Gets or sets this server's audience: every Passport must be issued for it. Null uses the authorizer policy's audience.
    /// </summary>
    public string? Audience { get; set; }

    /// <summary>
    /// Gets the scope map: the scope each tool requires, by tool name; checked before <see cref="PassportScopeAttribute"/>
    /// (the one order of <see cref="PassportToolRequirementResolver"/>). A tool with neither is denied. Values must be concrete scopes.
    /// </summary>
    public IDictionary<string, string> ToolScopes { get; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>
    /// Gets or sets a value indicating whether <c>Authorization</c> is kept for the server's own OAuth: then the Passport
    /// travels only in <c>Agent-Passport</c> (with <c>Agent-Passport-Chain</c>, <c>Agent-Passport-Proof</c>) or in <c>_meta</c>.
    /// </summary>
    /// <value>Default false (<c>Authorization: Bearer &lt;leaf&gt;</c> carries a Passport too).</value>
    public bool ReserveAuthorizationHeader { get; set; }

    /// <summary>Gets or sets the authorizer; when null, the <see cref="PassportAuthorizer"/> registered in the services.</summary>
    public PassportAuthorizer? Authorizer { get; set; }
}
