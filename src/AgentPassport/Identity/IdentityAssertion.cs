namespace AgentPassport;

/// <summary>
/// A validated statement of who the principal is and how strongly that was established: what a root Passport is
/// issued from. The OIDC layer produces it from a validated ID token; tests may build one directly.
/// </summary>
public sealed record IdentityAssertion
{
    /// <summary>Initializes an assertion.</summary>
    /// <param name="issuer">The identity provider (the ID token's <c>iss</c>).</param>
    /// <param name="subject">The principal (the ID token's <c>sub</c>).</param>
    /// <param name="acr">The authentication context class, if any.</param>
    /// <param name="levels">The assurance levels the <c>acr</c> maps to, if any.</param>
    public IdentityAssertion(string issuer, string subject, string? acr = null, AssuranceLevels? levels = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(issuer);
        ArgumentException.ThrowIfNullOrEmpty(subject);
        Issuer = issuer;
        Subject = subject;
        Acr = acr;
        Levels = levels;
    }

    /// <summary>Gets the identity provider.</summary>
    public string Issuer { get; }

    /// <summary>Gets the principal.</summary>
    public string Subject { get; }

    /// <summary>Gets the authentication context class, if any.</summary>
    public string? Acr { get; }

    /// <summary>Gets the assurance levels, or null for a "scope-only" identity.</summary>
    public AssuranceLevels? Levels { get; }

    /// <summary>Gets the audience the ID token was issued to (the client id), if known.</summary>
    public string? Audience { get; init; }

    /// <summary>Gets when the identity assertion itself expires, if known.</summary>
    public DateTimeOffset? ExpiresAt { get; init; }
}
