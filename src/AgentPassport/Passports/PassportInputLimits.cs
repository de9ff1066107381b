namespace AgentPassport;

/// <summary>
/// The size checks a Passport and its chain pass before anything copies, parses or verifies them: at most the depth cap
/// of parents, each token within the token cap, all parents within <see cref="PassportLimits.MaxChainBytes"/>. Every
/// entry point (the verifier, <see cref="PassportContext"/>, the MCP adapter's headers and <c>_meta</c>, the CLI) applies
/// them first, so an oversized input costs no more than counting it.
/// </summary>
/// <remarks>
/// Lengths may be given in UTF-16 characters where only a string exists: a string longer than a cap in characters is
/// longer than it in UTF-8 bytes too, and a compact token is ASCII, so the byte check done by the parser agrees.
/// </remarks>
public static class PassportInputLimits
{
    /// <summary>Checks the number of parents.</summary>
    /// <param name="parents">How many parent tokens the input holds (or at least holds).</param>
    /// <param name="maxDepth">The depth cap (the policy's, at most <see cref="PassportLimits.MaxChainDepth"/>).</param>
    /// <returns>Null when within the cap; otherwise a <see cref="PassportErrorKind.ChainBroken"/> error (<see cref="ChainBrokenReason.DepthExceeded"/>).</returns>
    public static PassportError? CheckParentCount(long parents, int maxDepth = PassportLimits.MaxChainDepth) =>
        parents <= Math.Min(maxDepth, PassportLimits.MaxChainDepth) ? null
            : new PassportError(PassportErrorKind.ChainBroken, $"the chain has more than {Math.Min(maxDepth, PassportLimits.MaxChainDepth)} parents", ChainBrokenReason.DepthExceeded);

    /// <summary>Checks one token's size.</summary>
    /// <param name="length">The token's length in bytes (or characters).</param>
    /// <param name="chainIndex">The token's index in the chain, or null for the leaf.</param>
    /// <param name="maxTokenBytes">The token cap (the policy's, at most <see cref="PassportLimits.MaxTokenBytes"/>).</param>
    /// <returns>Null when within the cap; otherwise an <see cref="PassportErrorKind.InvalidToken"/> error.</returns>
    public static PassportError? CheckTokenSize(long length, int? chainIndex = null, int maxTokenBytes = PassportLimits.MaxTokenBytes)
    {
        int cap = Math.Min(maxTokenBytes, PassportLimits.MaxTokenBytes);
        if (length <= cap)
        {
            return null;
        }

        return chainIndex is int i
            ? new PassportError(PassportErrorKind.InvalidToken, $"chain[{i}]: the token exceeds {cap} bytes", chainIndex: i)
            : new PassportError(PassportErrorKind.InvalidToken, $"the token exceeds {cap} bytes");
    }

    /// <summary>Checks the size of all the parents' tokens together.</summary>
    /// <param name="totalLength">The sum of the parents' lengths in bytes (or characters).</param>
    /// <returns>Null when within <see cref="PassportLimits.MaxChainBytes"/>; otherwise an <see cref="PassportErrorKind.InvalidToken"/> error.</returns>
    public static PassportError? CheckChainSize(long totalLength) =>
        totalLength <= PassportLimits.MaxChainBytes ? null
            : new PassportError(PassportErrorKind.InvalidToken, $"the chain's tokens exceed {PassportLimits.MaxChainBytes} bytes together");

    /// <summary>Checks a leaf and its parents: count first, then each size and the total. Reads only lengths.</summary>
    /// <param name="token">The leaf's compact token.</param>
    /// <param name="chain">The parents' compact tokens, root first.</param>
    /// <param name="maxDepth">The depth cap.</param>
    /// <param name="maxTokenBytes">The token cap.</param>
    /// <returns>Null when everything is within the caps; otherwise the first error.</returns>
    public static PassportError? Check(string? token, IReadOnlyList<string?> chain, int maxDepth = PassportLimits.MaxChainDepth, int maxTokenBytes = PassportLimits.MaxTokenBytes)
    {
        ArgumentNullException.ThrowIfNull(chain);
        var error = CheckParentCount(chain.Count, maxDepth) ?? CheckTokenSize(token?.Length ?? 0, null, maxTokenBytes);
        if (error is not null)
        {
            return error;
        }

        long total = 0;
        for (int i = 0; i < chain.Count; i++)
        {
            int length = chain[i]?.Length ?? 0;
            total += length;
            error = CheckTokenSize(length, i, maxTokenBytes);
            if (error is not null)
            {
                return error;
            }
        }

        return CheckChainSize(total);
    }
}
