namespace AgentPassport;

/// <summary>What a root Passport grants: to which agent, for which audience, which scopes, for how long.</summary>
public sealed record RootPassportRequest
{
    /// <summary>Gets the validated identity of the principal.</summary>
    public required IdentityAssertion Identity { get; init; }

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

    /// <summary>Gets the lifetime, or null for the issuer's default (15 min). Must be positive and within the cap (24 h).</summary>
    public TimeSpan? Ttl { get; init; }

    /// <summary>Gets how many delegation hops may follow, or null for the format's cap (8).</summary>
    public int? MaxDepth { get; init; }

    /// <summary>
    /// Gets the argument constraints per <c>tool_scope</c> entry (spec v1.1 §13); every key must be an entry of
    /// <see cref="ToolScope"/> (verbatim). Empty (the default) leaves every entry unconstrained.
    /// </summary>
    public PassportConstraints Constraints { get; init; } = PassportConstraints.Empty;

    /// <summary>
    /// Gets the RFC 7638 thumbprint of the agent's holder key (<see cref="PassportHolderKey.Thumbprint"/>), to bind the
    /// Passport to it (<c>cnf.jkt</c>, spec v1.1 §11); null mints a bearer Passport.
    /// </summary>
    public string? HolderThumbprint { get; init; }
}
