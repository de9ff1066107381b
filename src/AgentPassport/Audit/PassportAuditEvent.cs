namespace AgentPassport;

/// <summary>
/// One structured audit record: a mint, an allow or a deny. It names the agent, the principal and the Passport by its
/// <c>jti</c>, never the token itself.
/// </summary>
/// <remarks>
/// For a denial whose Passport did not verify (expired, tampered, wrong key), the claims are read without verification so
/// the record can say who tried; <see cref="ClaimsVerified"/> is then false and the claims are only as good as the token.
/// Such unverified claims are kept bounded: the agent id, principal and task purpose to 256 UTF-8 bytes, the ids to 128,
/// the audience to 512, at most 16 scopes; a cut value ends with "…". A tool name is kept to 256 bytes in every event.
/// Render records with <see cref="DelegationTree"/>, which escapes control characters.
/// </remarks>
public sealed record PassportAuditEvent
{
    /// <summary>Gets what happened.</summary>
    public required PassportAuditEventKind Kind { get; init; }

    /// <summary>Gets when it happened (from the library's <see cref="TimeProvider"/>).</summary>
    public required DateTimeOffset Timestamp { get; init; }

    /// <summary>Gets a value indicating whether the claims below come from a verified Passport.</summary>
    public bool ClaimsVerified { get; init; }

    /// <summary>Gets the holder agent's id, when known.</summary>
    public string? AgentId { get; init; }

    /// <summary>Gets the principal (<c>sub</c>), when known.</summary>
    public string? Principal { get; init; }

    /// <summary>Gets the principal's identity assurance level, when present.</summary>
    public int? Ial { get; init; }

    /// <summary>Gets the Passport's <c>jti</c>, when known.</summary>
    public string? TokenId { get; init; }

    /// <summary>Gets the parent Passport's <c>jti</c> (children only).</summary>
    public string? ParentTokenId { get; init; }

    /// <summary>Gets the Passport's granted scopes.</summary>
    public IReadOnlyList<string> Scopes { get; init; } = [];

    /// <summary>Gets the Passport's audience, when known.</summary>
    public string? Audience { get; init; }

    /// <summary>Gets the Passport's expiry, when known.</summary>
    public DateTimeOffset? ExpiresAt { get; init; }

    /// <summary>Gets the task purpose (audit only), when present.</summary>
    public string? TaskPurpose { get; init; }

    /// <summary>Gets the tool (function) called, for allow and deny events.</summary>
    public string? ToolName { get; init; }

    /// <summary>Gets the scope the call required, when one was resolved.</summary>
    public string? RequiredScope { get; init; }

    /// <summary>Gets the error kind of a denial.</summary>
    public PassportErrorKind? ErrorKind { get; init; }

    /// <summary>Gets the stable error code of a denial (<c>APnnnn</c>).</summary>
    public string? ErrorCode { get; init; }

    /// <summary>Gets the chain rule that broke, for a <see cref="PassportErrorKind.ChainBroken"/> denial.</summary>
    public ChainBrokenReason? ChainReason { get; init; }

    /// <summary>Gets what a <see cref="PassportAuditEventKind.Revoked"/> event revoked: a <c>jti</c> (in <see cref="TokenId"/>), a principal (<see cref="Principal"/>) or an agent (<see cref="AgentId"/>).</summary>
    public RevocationEntryKind? RevocationKind { get; init; }

    /// <summary>Gets the cut-off of a principal or agent revocation: Passports issued before it are revoked.</summary>
    public DateTimeOffset? RevokedBefore { get; init; }

    /// <summary>Gets the <c>jti</c> of the proof of possession an allowed call carried (holder-bound Passports; spec v1.1 §11). Never the proof itself.</summary>
    public string? ProofId { get; init; }

    /// <summary>Gets the RFC 7638 thumbprint of the holder key that signed that proof.</summary>
    public string? HolderThumbprint { get; init; }
}
