namespace AgentPassport;

/// <summary>What a child Passport grants to a sub-agent. It can only narrow the parent's authority.</summary>
public sealed record DelegationRequest
{
    /// <summary>Gets the sub-agent that will hold the child Passport.</summary>
    public required string AgentId { get; init; }

    /// <summary>Gets the sub-agent's model name (audit only).</summary>
    public required string AgentModel { get; init; }

    /// <summary>Gets the child's audience (may differ from the parent's).</summary>
    public required string Audience { get; init; }

    /// <summary>Gets the child's scopes; each must be covered by the parent's.</summary>
    public IReadOnlyList<string> ToolScope { get; init; } = [];

    /// <summary>Gets the task purpose (audit only).</summary>
    public string? TaskPurpose { get; init; }

    /// <summary>Gets the lifetime, or null for the default (5 min). The child never outlives its parent.</summary>
    public TimeSpan? Ttl { get; init; }

    /// <summary>Gets lowered assurance levels, or null to keep the parent's. A level may be lowered, never raised or added.</summary>
    public AssuranceLevels? LowerLevels { get; init; }

    /// <summary>Gets a lower remaining delegation depth for the child, or null for one less than the parent's.</summary>
    public int? MaxDepth { get; init; }

    /// <summary>
    /// Gets the argument constraints per <c>tool_scope</c> entry (spec v1.1 §13); every key must be an entry of
    /// <see cref="ToolScope"/> (verbatim). Empty (the default) leaves every entry unconstrained.
    /// </summary>
    public PassportConstraints Constraints { get; init; } = PassportConstraints.Empty;

    /// <summary>
    /// Gets the RFC 7638 thumbprint of the sub-agent's own holder key, to bind the child to it (<c>cnf.jkt</c>). Required
    /// when the parent is holder-bound: each hop binds its own holder.
    /// </summary>
    public string? HolderThumbprint { get; init; }

    /// <summary>
    /// Gets the proof that the requester holds the parent's key (spec v1.1 §11): required when the parent is
    /// holder-bound, made with <see cref="PassportProof.Create"/> with <c>aud</c> = the issuer URL, the parent's token and
    /// <see cref="PassportProof.DelegateOperation"/>. Never logged.
    /// </summary>
    public string? ParentProof { get; init; }

    /// <inheritdoc />
    public override string ToString() =>
        $"DelegationRequest {{ AgentId = {AgentId}, Audience = {Audience}, ToolScope = [{string.Join(", ", ToolScope)}], HolderThumbprint = {HolderThumbprint}, ParentProof = {(ParentProof is null ? "none" : "redacted")} }}";
}
