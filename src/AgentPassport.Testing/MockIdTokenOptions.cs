namespace AgentPassport.Testing;

/// <summary>What a minted test ID token contains. Every member has a sensible default; override one to make a token wrong in exactly one way.</summary>
public sealed record MockIdTokenOptions
{
    /// <summary>The IAL2 <c>acr</c> value of the built-in mapping.</summary>
    public const string Ial2 = "http://idmanagement.gov/ns/assurance/ial/2";

    /// <summary>Gets the <c>sub</c>.</summary>
    /// <value>Default <c>alice@example.gov</c>.</value>
    public string Subject { get; init; } = "alice@example.gov";

    /// <summary>Gets the <c>acr</c>, or null to omit it.</summary>
    /// <value>Default IAL2.</value>
    public string? Acr { get; init; } = Ial2;

    /// <summary>Gets the lifetime (<c>exp</c> − <c>iat</c>).</summary>
    /// <value>Default 5 minutes.</value>
    public TimeSpan Lifetime { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>Gets the <c>nonce</c>, or null to omit it.</summary>
    public string? Nonce { get; init; }

    /// <summary>Gets the audiences; null means the minter's client id as a single string. Two or more are written as an array.</summary>
    public IReadOnlyList<string>? Audiences { get; init; }

    /// <summary>Gets the <c>azp</c>, or null to omit it.</summary>
    public string? AuthorizedParty { get; init; }

    /// <summary>Gets an <c>iss</c> that replaces the minter's, or null.</summary>
    public string? Issuer { get; init; }

    /// <summary>Gets an <c>iat</c> that replaces "now", or null.</summary>
    public DateTimeOffset? IssuedAt { get; init; }

    /// <summary>Gets the <c>nbf</c>, or null for the <c>iat</c> (as most providers write it); remove it with <see cref="ExtraClaims"/> <c>["nbf"] = null</c>.</summary>
    public DateTimeOffset? NotBefore { get; init; }

    /// <summary>Gets a header <c>kid</c> that replaces the signing key's, or null.</summary>
    public string? KeyId { get; init; }

    /// <summary>Gets further payload claims (they override the ones above; a null value removes the claim).</summary>
    public IReadOnlyDictionary<string, object?>? ExtraClaims { get; init; }

    /// <summary>Gets further header members (they override <c>alg</c>/<c>kid</c>/<c>typ</c>; a null value removes the member).</summary>
    public IReadOnlyDictionary<string, object?>? ExtraHeader { get; init; }
}
