namespace AgentPassport;

/// <summary>
/// One revocation (spec v1.1 §12): a <c>jti</c>, or every Passport of a principal or an agent issued before a time. An
/// entry expires by itself once nothing it could match can still be valid, so stores stay bounded.
/// </summary>
/// <remarks>
/// Expiry is generous on purpose: a <c>jti</c> entry lives until the token's <c>exp</c> plus the largest clock skew a
/// policy may allow; a principal or agent entry until its cut-off plus the largest Passport lifetime plus that skew.
/// Keeping an entry too long costs a few bytes; dropping it too early would un-revoke.
/// </remarks>
public sealed record RevocationEntry
{
    /// <summary>How long after its cut-off a principal or agent entry is kept: the largest lifetime plus the largest skew.</summary>
    public static readonly TimeSpan CutoffRetention = PassportLimits.MaxRootTtl + PassportLimits.MaxClockSkew;

    /// <summary>The longest accepted value (a <c>jti</c>, <c>sub</c> or <c>agent_id</c>), in characters.</summary>
    public const int MaxValueLength = 1024;

    private RevocationEntry(RevocationEntryKind kind, string value, DateTimeOffset? before, DateTimeOffset expiresAt)
    {
        ArgumentException.ThrowIfNullOrEmpty(value);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(value.Length, MaxValueLength, nameof(value));
        Kind = kind;
        Value = value;
        Before = before;
        ExpiresAt = expiresAt;
    }

    /// <summary>Gets what the entry matches.</summary>
    public RevocationEntryKind Kind { get; }

    /// <summary>Gets the revoked <c>jti</c>, <c>sub</c> or <c>agent_id</c>.</summary>
    public string Value { get; }

    /// <summary>Gets the cut-off of a principal or agent entry (Passports issued strictly before it match); null for a <c>jti</c> entry.</summary>
    public DateTimeOffset? Before { get; }

    /// <summary>Gets when the entry may be forgotten: nothing it matches can be valid after it.</summary>
    public DateTimeOffset ExpiresAt { get; }

    /// <summary>Revokes one Passport (and so every descendant) until its expiry plus the largest clock skew.</summary>
    /// <param name="tokenId">Its <c>jti</c>.</param>
    /// <param name="tokenExpiresAt">Its <c>exp</c>.</param>
    /// <returns>The entry.</returns>
    public static RevocationEntry ForToken(string tokenId, DateTimeOffset tokenExpiresAt) =>
        new(RevocationEntryKind.TokenId, tokenId, null, Saturating(tokenExpiresAt, PassportLimits.MaxClockSkew));

    /// <summary>Revokes a verified or decoded Passport (and every descendant) until it expires.</summary>
    /// <param name="passport">Its claims.</param>
    /// <returns>The entry.</returns>
    public static RevocationEntry ForPassport(Passport passport)
    {
        ArgumentNullException.ThrowIfNull(passport);
        return ForToken(passport.TokenId, passport.ExpiresAt);
    }

    /// <summary>Revokes every Passport of <paramref name="subject"/> issued before <paramref name="before"/>.</summary>
    /// <param name="subject">The principal's <c>sub</c>.</param>
    /// <param name="before">The cut-off; Passports with <c>iat</c> strictly before it match.</param>
    /// <returns>The entry.</returns>
    public static RevocationEntry ForSubject(string subject, DateTimeOffset before) =>
        new(RevocationEntryKind.Subject, subject, before, Saturating(before, CutoffRetention));

    /// <summary>Revokes every Passport held by <paramref name="agentId"/> issued before <paramref name="before"/>.</summary>
    /// <param name="agentId">The agent's <c>agent_id</c>.</param>
    /// <param name="before">The cut-off; Passports with <c>iat</c> strictly before it match.</param>
    /// <returns>The entry.</returns>
    public static RevocationEntry ForAgent(string agentId, DateTimeOffset before) =>
        new(RevocationEntryKind.Agent, agentId, before, Saturating(before, CutoffRetention));

    /// <summary>
    /// Writes the entry in the revocation wire form shared by the stores: one UTF-8 JSON object,
    /// <c>{"kind":"jti|sub|agent","value":"…","before":ms?,"expires":ms}</c> (Unix milliseconds). A store that keeps
    /// entries outside this process (Redis, a database) writes this and reads it back with <see cref="ParseJson"/>.
    /// </summary>
    /// <returns>The UTF-8 JSON bytes.</returns>
    public byte[] ToJson() => RevocationJson.WriteEntry(this);

    /// <summary>Reads an entry written by <see cref="ToJson"/>, keeping its stored expiry.</summary>
    /// <param name="utf8Json">One UTF-8 JSON object in the revocation wire form.</param>
    /// <returns>The entry.</returns>
    /// <exception cref="FormatException">
    /// The bytes are not a revocation entry: invalid JSON, a missing or mistyped member, an unknown kind, an empty or
    /// too long value, a cut-off on a <c>jti</c> entry (or none on a principal or agent entry), or a time out of range.
    /// </exception>
    public static RevocationEntry ParseJson(ReadOnlySpan<byte> utf8Json) => RevocationJson.ReadEntry(utf8Json);

    /// <summary>Rebuilds an entry read back from a store (expiry as stored).</summary>
    internal static RevocationEntry Restore(RevocationEntryKind kind, string value, DateTimeOffset? before, DateTimeOffset expiresAt) =>
        kind switch
        {
            RevocationEntryKind.TokenId when before is null => new(kind, value, null, expiresAt),
            RevocationEntryKind.Subject or RevocationEntryKind.Agent when before is not null => new(kind, value, before, expiresAt),
            _ => throw new FormatException($"a revocation entry of kind {kind} {(before is null ? "needs" : "takes no")} cut-off"),
        };

    /// <summary>Gets a value indicating whether this entry matches <paramref name="passport"/>.</summary>
    /// <param name="passport">A link's claims.</param>
    /// <returns>True when the link is revoked by this entry.</returns>
    public bool Matches(Passport passport)
    {
        ArgumentNullException.ThrowIfNull(passport);
        return Kind switch
        {
            RevocationEntryKind.TokenId => string.Equals(passport.TokenId, Value, StringComparison.Ordinal),
            RevocationEntryKind.Subject => passport.IssuedAt < Before && string.Equals(passport.Subject, Value, StringComparison.Ordinal),
            RevocationEntryKind.Agent => passport.IssuedAt < Before && string.Equals(passport.AgentId, Value, StringComparison.Ordinal),
            _ => false,
        };
    }

    /// <summary>Gets a value indicating whether this entry and <paramref name="other"/> revoke the same thing (the later expiry wins on merge).</summary>
    internal bool SameTarget(RevocationEntry other) =>
        Kind == other.Kind && string.Equals(Value, other.Value, StringComparison.Ordinal);

    /// <inheritdoc />
    public override string ToString() => Before is { } b
        ? $"{Kind} {Value} before {b:O} (kept until {ExpiresAt:O})"
        : $"{Kind} {Value} (kept until {ExpiresAt:O})";

    private static DateTimeOffset Saturating(DateTimeOffset at, TimeSpan plus) =>
        DateTimeOffset.MaxValue - at > plus ? at + plus : DateTimeOffset.MaxValue;
}
