namespace AgentPassport;

/// <summary>What <see cref="PassportAuditLog"/> does with an event when its queue is full. It never drops one.</summary>
public enum PassportAuditLogFullMode
{
    /// <summary>The caller waits until the writer has room (back-pressure on the decisions).</summary>
    Wait = 1,

    /// <summary>The call is refused at once with <see cref="PassportAuditLogErrorKind.QueueFull"/> (so the decision fails closed).</summary>
    Refuse = 2,
}
