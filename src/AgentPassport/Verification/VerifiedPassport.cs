using AgentPassport.Jose;

namespace AgentPassport;

/// <summary>
/// A Passport that passed every check of a <see cref="VerificationPolicy"/>, with its verified chain.
/// Only the verifier creates these, so holding one proves the checks ran.
/// </summary>
public sealed partial class VerifiedPassport
{
    private string? _tokenHash;

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

    /// <summary>Gets the <c>ath</c> of <see cref="Token"/> (base64url SHA-256), computed on first use: a proof's <c>ath</c> must equal it.</summary>
    internal string TokenHash => _tokenHash ??= Segments.Hash(Token);

    /// <summary>Gets the parents' compact tokens, root first: what to present with <see cref="Token"/> to another verifier.</summary>
    public IReadOnlyList<string> ChainTokens => Chain.Select(p => p.Token).ToArray();
}
