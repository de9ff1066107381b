namespace AgentPassport;

/// <summary>Receives every audit event (mint, allow, deny). Implementations must be thread-safe and must not throw.</summary>
public interface IPassportAuditSink
{
    /// <summary>Records an event.</summary>
    /// <param name="auditEvent">The event; it never contains a token.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>A task that completes when the event is recorded.</returns>
    ValueTask WriteAsync(PassportAuditEvent auditEvent, CancellationToken cancellationToken = default);
}
