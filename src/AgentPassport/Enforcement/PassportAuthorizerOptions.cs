namespace AgentPassport;

/// <summary>Configures a <see cref="PassportAuthorizer"/>. Checked when the authorizer is built.</summary>
/// <remarks>
/// There is no cache setting here: the authorizer verifies through its <see cref="PassportVerifier"/>, and caching is
/// that verifier's (its constructor's <c>cacheCapacity</c>; <c>AddAgentPassport</c> sets one).
/// </remarks>
public sealed class PassportAuthorizerOptions
{
    /// <summary>
    /// Gets or sets the base policy: trusted issuers, the default audience, assurance floors and limits. Each call adds
    /// its own required scope; a <see cref="PassportContext.Audience"/> replaces the audience. Any
    /// <see cref="VerificationPolicy.RequiredScope"/> set here is required in addition, on every call.
    /// </summary>
    /// <value>Required.</value>
    public VerificationPolicy? Policy { get; set; }

    /// <summary>
    /// Gets or sets a value indicating whether the denial a model reads names the error kind, code and message.
    /// Off by default: the model learns only that the call was refused and the scope it needed.
    /// </summary>
    /// <value>Default false.</value>
    public bool IncludeDetailedDenials { get; set; }

    /// <summary>
    /// Gets or sets where used proofs of possession are recorded (spec v1.1 §11). Share one instance (or one Redis cache)
    /// across every authorizer of the same audience, so a proof used at one is a replay at the others.
    /// </summary>
    /// <value>Default null: the authorizer creates its own bounded <see cref="InMemoryPassportReplayCache"/> on its clock.</value>
    public IPassportReplayCache? ReplayCache { get; set; }

    internal VerificationPolicy ValidatedPolicy() =>
        Policy ?? throw new ArgumentException("PassportAuthorizerOptions.Policy is required.", nameof(Policy));
}
