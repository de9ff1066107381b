namespace AgentPassport;

/// <summary>What an audit event records.</summary>
public enum PassportAuditEventKind
{
    /// <summary>A Passport was minted (a root for an agent, or a child for a sub-agent).</summary>
    Minted = 1,

    /// <summary>A tool call was allowed and ran.</summary>
    Allowed = 2,

    /// <summary>A tool call (or a delegation) was refused and did not run.</summary>
    Denied = 3,

    /// <summary>
    /// A call named a tool the host does not have (decided after the lookup): nothing ran. The tool name is the caller's
    /// text, kept bounded and rendered escaped.
    /// </summary>
    UnknownTool = 4,
    /// <summary>A revocation was written (a <c>jti</c>, or a principal's or agent's Passports before a time).</summary>
    Revoked = 5,
}
