namespace AgentPassport;

/// <summary>
/// Spec §5 step 6, before any parent signature work: a delegated leaf comes with a chain and a root without one, the
/// chain is within the policy's depth cap, and the leaf's <c>act</c> names one actor per token.
/// </summary>
internal static class ChainShapeRule
{
    /// <summary>Checks the chain's presence and length against the leaf; null when they fit.</summary>
    public static PassportError? Check(Passport leaf, IReadOnlyList<string> chain, VerificationPolicy policy)
    {
        if (leaf.IsDelegated && chain.Count == 0)
        {
            return VerificationErrors.Broken(ChainBrokenReason.MissingChain, "the leaf is delegated (has parent_jti) but no parent chain was provided", null);
        }

        if (!leaf.IsDelegated && chain.Count > 0)
        {
            return VerificationErrors.Broken(ChainBrokenReason.UnexpectedChain, "the leaf is a root token but a chain was provided", null);
        }

        if (chain.Count > policy.MaxChainDepth)
        {
            return VerificationErrors.Broken(ChainBrokenReason.DepthExceeded, $"the chain has {chain.Count} parents; at most {policy.MaxChainDepth} are allowed", null);
        }

        if (leaf.Depth != chain.Count)
        {
            return VerificationErrors.Broken(ChainBrokenReason.ActorMismatch, $"the leaf's act names {leaf.Depth + 1} actors but the chain has {chain.Count + 1} tokens", null);
        }

        return null;
    }
}
