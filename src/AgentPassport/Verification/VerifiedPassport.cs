namespace AgentPassport;

/// <summary>
/// A Passport that passed every check of a <see cref="VerificationPolicy"/>, with its verified chain.
/// Only the verifier creates these, so holding one proves the checks ran.
/// </summary>
public sealed partial class VerifiedPassport
{
    internal VerifiedPassport(string token, Passport passport, IReadOnlyList<SignedPassport> chain)
    {
        Token = token;
        Passport = passport;
        Chain = chain;
    }

    /// <summary>Gets the compact token.</summary>
    public string Token { get; }

    /// <summary>Gets the verified claims of the leaf.</summary>
    public Passport Passport { get; }

    /// <summary>Gets the verified parents, root first (empty for a root Passport).</summary>
    public IReadOnlyList<SignedPassport> Chain { get; }

    /// <summary>Gets the parents' compact tokens, root first: what to present with <see cref="Token"/> to another verifier.</summary>
    public IReadOnlyList<string> ChainTokens => Chain.Select(p => p.Token).ToArray();
}
