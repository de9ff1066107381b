namespace AgentPassport;

/// <summary>
/// What one agent carries to every tool call: its Passport, the parents' tokens (root first) and, optionally,
/// the audience its tools answer to. Immutable; give each agent (each kernel, each tool list) its own instance.
/// </summary>
/// <remarks>
/// The context holds credentials, so <see cref="ToString"/> never prints a token. The <see cref="Audience"/> is set by the
/// application (or by <see cref="PassportDelegator"/> from the delegation request), never by a model; when it is null the
/// authorizer's policy audience applies.
/// </remarks>
public sealed class PassportContext
{
    /// <summary>Initializes a context.</summary>
    /// <param name="token">The agent's compact Passport.</param>
    /// <param name="chainTokens">The parents' compact tokens, root first; null or empty for a root Passport.</param>
    /// <param name="audience">The audience this agent's tools verify against, or null for the policy's audience.</param>
    /// <exception cref="ArgumentException">
    /// The token or a chain token is empty, the audience is blank, or the input is over the format's caps
    /// (<see cref="PassportInputLimits"/>: more parents than <see cref="PassportLimits.MaxChainDepth"/>, a token over
    /// <see cref="PassportLimits.MaxTokenBytes"/>, parents over <see cref="PassportLimits.MaxChainBytes"/>; only
    /// <see cref="PassportLimits.MaxChainDepth"/> + 1 entries of <paramref name="chainTokens"/> are ever read).
    /// </exception>
    public PassportContext(string token, IEnumerable<string>? chainTokens = null, string? audience = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(token);
        var chain = BoundedChain(chainTokens);
        if (PassportInputLimits.Check(token, chain) is { } sizeError)
        {
            throw new ArgumentException($"The Passport or its chain is over the format's caps: {sizeError.Message}.", nameof(chainTokens));
        }

        foreach (var parent in chain)
        {
            if (string.IsNullOrWhiteSpace(parent))
            {
                throw new ArgumentException("A chain token must not be empty.", nameof(chainTokens));
            }
        }

        if (audience is not null)
        {
            ArgumentException.ThrowIfNullOrWhiteSpace(audience);
        }

        Token = token;
        ChainTokens = chain;
        Audience = audience;
    }

    /// <summary>Gets the agent's compact Passport.</summary>
    public string Token { get; }

    /// <summary>Gets the parents' compact tokens, root first (empty for a root Passport).</summary>
    public IReadOnlyList<string> ChainTokens { get; }

    /// <summary>Gets the audience this agent's tools verify against, or null for the policy's audience.</summary>
    public string? Audience { get; }

    /// <summary>Gets the agent's holder key, when the agent runs in this process: the authorizer signs a proof with it for each call (spec v1.1 §11).</summary>
    public PassportHolderKey? HolderKey { get; private init; }

    /// <summary>Gets the proof of possession the caller presented (across processes: MCP, HTTP), checked against the one call it accompanies.</summary>
    public string? Proof { get; private init; }

    /// <summary>
    /// Returns a copy of this context that holds the agent's holder key (in process): the authorizer signs a proof over
    /// each call's scope and arguments with it and verifies that proof. The context does not own the key.
    /// </summary>
    /// <param name="key">The key the agent's Passport is bound to.</param>
    /// <returns>The new context.</returns>
    public PassportContext WithHolderKey(PassportHolderKey key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return new(Token, ChainTokens, Audience) { HolderKey = key, Proof = Proof };
    }

    /// <summary>Returns a copy of this context carrying the caller's proof of possession for one call (across processes).</summary>
    /// <param name="proof">The compact proof as presented; checked by the authorizer, never logged.</param>
    /// <returns>The new context.</returns>
    /// <exception cref="ArgumentException">The proof is empty or over <see cref="PassportProof.MaxProofBytes"/>.</exception>
    public PassportContext WithProof(string proof)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(proof);
        if (proof.Length > PassportProof.MaxProofBytes)
        {
            throw new ArgumentException($"The proof is over {PassportProof.MaxProofBytes} bytes.", nameof(proof));
        }

        return new(Token, ChainTokens, Audience) { HolderKey = HolderKey, Proof = proof };
    }

    /// <summary>Creates a context from a freshly minted Passport.</summary>
    /// <param name="issued">The Passport and its chain.</param>
    /// <param name="audience">The audience to verify against, or null for the policy's audience.</param>
    /// <returns>The context.</returns>
    public static PassportContext From(IssuedPassport issued, string? audience = null)
    {
        ArgumentNullException.ThrowIfNull(issued);
        return new(issued.Token, issued.ChainTokens, audience);
    }

    /// <summary>Creates a context from a verified Passport.</summary>
    /// <param name="verified">The Passport and its chain.</param>
    /// <param name="audience">The audience to verify against, or null for the policy's audience.</param>
    /// <returns>The context.</returns>
    public static PassportContext From(VerifiedPassport verified, string? audience = null)
    {
        ArgumentNullException.ThrowIfNull(verified);
        return new(verified.Token, verified.ChainTokens, audience);
    }

    // Reads at most one entry past the depth cap, so an endless or huge sequence is refused without being copied.
    private static string[] BoundedChain(IEnumerable<string>? chainTokens)
    {
        if (chainTokens is null)
        {
            return [];
        }

        var chain = new List<string>(chainTokens is IReadOnlyCollection<string> c ? Math.Min(c.Count, PassportLimits.MaxChainDepth + 1) : 4);
        foreach (var parent in chainTokens)
        {
            chain.Add(parent);
            if (chain.Count > PassportLimits.MaxChainDepth)
            {
                break;
            }
        }

        return [.. chain];
    }

    /// <inheritdoc />
    public override string ToString() =>
        $"PassportContext (token redacted, {ChainTokens.Count} parent(s), audience {Audience ?? "<policy>"}{(HolderKey is null ? string.Empty : $", holder key {HolderKey.Thumbprint}")}{(Proof is null ? string.Empty : ", proof redacted")})";
}
