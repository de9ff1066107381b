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

    /// <summary>Gets or sets the authorizer; when null, the <see cref="PassportAuthorizer"/> registered in the services.</summary>
    public PassportAuthorizer? Authorizer { get; set; }
}
