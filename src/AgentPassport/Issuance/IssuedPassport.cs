namespace AgentPassport;

/// <summary>A freshly minted Passport: its compact token, its claims, and the chain a verifier needs with it.</summary>
public sealed class IssuedPassport
{
    internal IssuedPassport(string token, Passport passport, IReadOnlyList<string> chainTokens)
    {
        Token = token;
        Passport = passport;
        ChainTokens = chainTokens;
    }

    /// <summary>Gets the compact token.</summary>
    public string Token { get; }

    /// <summary>Gets the claims.</summary>
    public Passport Passport { get; }

    /// <summary>Gets the parents' compact tokens, root first (empty for a root Passport).</summary>
    public IReadOnlyList<string> ChainTokens { get; }
}
