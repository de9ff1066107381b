namespace AgentPassport;

/// <summary>
/// The claims of one Passport (spec §2). Instances come from the verifier (after every check passed), from the
/// issuer, or from <see cref="PassportReader"/> (decoded without verification, for display only).
/// </summary>
public sealed partial record Passport
{
    /// <summary>Gets the issuer (<c>iss</c>).</summary>
    public required string Issuer { get; init; }

    /// <summary>Gets the principal (<c>sub</c>), copied from the ID token and never changed along a chain.</summary>
    public required string Subject { get; init; }

    /// <summary>Gets the single audience (<c>aud</c>).</summary>
    public required string Audience { get; init; }

    /// <summary>Gets the issue time (<c>iat</c>).</summary>
    public required DateTimeOffset IssuedAt { get; init; }

    /// <summary>Gets the start of validity (<c>nbf</c>).</summary>
    public required DateTimeOffset NotBefore { get; init; }

    /// <summary>Gets the expiry (<c>exp</c>).</summary>
    public required DateTimeOffset ExpiresAt { get; init; }

    /// <summary>Gets the unique token id (<c>jti</c>).</summary>
    public required string TokenId { get; init; }

    /// <summary>Gets the principal's authentication context class (<c>acr</c>), if any.</summary>
    public string? Acr { get; init; }

    /// <summary>Gets the identity assurance level, if any.</summary>
    public int? Ial { get; init; }

    /// <summary>Gets the authenticator assurance level, if any.</summary>
    public int? Aal { get; init; }

    /// <summary>Gets the federation assurance level, if any.</summary>
    public int? Fal { get; init; }

    /// <summary>Gets the actor chain (<c>act</c>); its <see cref="PassportActor.Subject"/> is the holder.</summary>
    public required PassportActor Actor { get; init; }

    /// <summary>Gets the holder agent's id (equals <c>act.sub</c>).</summary>
    public required string AgentId { get; init; }

    /// <summary>Gets the holder's model name (audit only).</summary>
    public required string AgentModel { get; init; }

    /// <summary>Gets the granted scopes.</summary>
    public required ScopeSet ToolScope { get; init; }

    /// <summary>Gets the task purpose (audit only; never used for policy).</summary>
    public string? TaskPurpose { get; init; }

    /// <summary>Gets the parent's <c>jti</c> (children only).</summary>
    public string? ParentJti { get; init; }

    /// <summary>Gets the base64url SHA-256 of the parent's compact serialization (children only).</summary>
    public string? ParentHash { get; init; }

    /// <summary>Gets how many further delegation hops are allowed below this token, if limited.</summary>
    public int? MaxDepth { get; init; }

    /// <summary>Gets the argument constraints per <c>tool_scope</c> entry (spec v1.1 §13); <see cref="PassportConstraints.Empty"/> when the token has none.</summary>
    public PassportConstraints Constraints { get; init; } = PassportConstraints.Empty;

    /// <summary>
    /// Gets the RFC 7638 SHA-256 thumbprint of the holder's public key (<c>cnf.jkt</c>), or null for a bearer Passport.
    /// A bound Passport is accepted only with a proof signed by that key (spec v1.1 §11).
    /// </summary>
    public string? HolderThumbprint { get; init; }

    /// <summary>Gets a value indicating whether the Passport is bound to a holder key (<see cref="HolderThumbprint"/> is set).</summary>
    public bool IsHolderBound => HolderThumbprint is not null;

    /// <summary>Gets a value indicating whether this is a delegated (child) Passport.</summary>
    public bool IsDelegated => ParentJti is not null || ParentHash is not null;

    /// <summary>Gets the delegation depth: 0 for a root, one more for each hop (the <c>act</c> nesting minus one).</summary>
    public int Depth => Actor.Count - 1;

    /// <summary>Gets the assurance level of the given kind, if present.</summary>
    /// <param name="kind">0 = IAL, 1 = AAL, 2 = FAL.</param>
    internal int? Level(int kind) => kind switch { 0 => Ial, 1 => Aal, _ => Fal };
}
