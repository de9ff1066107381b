namespace AgentPassport;

/// <summary>What a root Passport grants, before the identity is known: a <see cref="RootPassportRequest"/> without the identity.</summary>
public sealed record RootPassportGrant
{
    /// <summary>Gets the agent that will hold the Passport.</summary>
    public required string AgentId { get; init; }

    /// <summary>Gets the agent's model name (audit only).</summary>
    public required string AgentModel { get; init; }

    /// <summary>Gets the single audience.</summary>
    public required string Audience { get; init; }

    /// <summary>Gets the granted scopes; empty grants nothing.</summary>
    public IReadOnlyList<string> ToolScope { get; init; } = [];

    /// <summary>Gets the task purpose (audit only).</summary>
    public string? TaskPurpose { get; init; }

    /// <summary>Gets the lifetime, or null for the issuer's default.</summary>
    public TimeSpan? Ttl { get; init; }

    /// <summary>Gets how many delegation hops may follow, or null for the format's cap.</summary>
    public int? MaxDepth { get; init; }

    /// <summary>Builds the request for a validated identity.</summary>
    /// <param name="identity">The principal.</param>
    /// <returns>The request.</returns>
    public RootPassportRequest ToRequest(IdentityAssertion identity) => new()
    {
        Identity = identity,
        AgentId = AgentId,
        AgentModel = AgentModel,
        Audience = Audience,
        ToolScope = ToolScope,
        TaskPurpose = TaskPurpose,
        Ttl = Ttl,
        MaxDepth = MaxDepth,
    };
}
