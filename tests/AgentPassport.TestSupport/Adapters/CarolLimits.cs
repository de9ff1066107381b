namespace AgentPassport.TestSupport.Adapters;

/// <summary>Carol's argument constraints in every adapter's tests: <c>flights:book</c> only for <c>amount ≤ 500</c> to JFK or LGA.</summary>
public static class CarolLimits
{
    /// <summary>Gets the constraints.</summary>
    public static PassportConstraints Constraints { get; } = PassportConstraints.Empty
        .With("flights:book", "amount", PassportConstraint.Range(null, 500m))
        .With("flights:book", "dest", PassportConstraint.OneOf([PassportConstraintValue.FromString("JFK"), PassportConstraintValue.FromString("LGA")]));

    /// <summary>Gets the kind of the denial of an audit event, or null for an allow.</summary>
    public static IReadOnlyList<PassportErrorKind?> DecisionKinds(InMemoryPassportAuditSink sink) =>
        sink.Events.Where(e => e.Kind != PassportAuditEventKind.Minted).Select(e => e.Kind == PassportAuditEventKind.Allowed ? null : e.ErrorKind).ToList();
}
