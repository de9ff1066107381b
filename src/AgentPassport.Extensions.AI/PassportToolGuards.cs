using Microsoft.Extensions.AI;

namespace AgentPassport.Extensions.AI;

/// <summary>Finds the Passport guard inside a tool, and tells whether two contexts are the same agent.</summary>
internal static class PassportToolGuards
{
    /// <summary>
    /// Gets the outermost <see cref="PassportGuardedAIFunction"/> in the tool's delegating chain (through
    /// <see cref="ApprovalRequiredAIFunction"/> or any other <see cref="DelegatingAIFunction"/>), or null.
    /// </summary>
    public static PassportGuardedAIFunction? FindGuard(AIFunction function) =>
        function.GetService<PassportGuardedAIFunction>();

    /// <summary>Gets a value indicating whether the tool already carries a guard of exactly this agent (no second guard needed).</summary>
    public static bool IsGuardedFor(AIFunction function, PassportContext? context) =>
        context is not null && FindGuard(function) is { } guard && IsSameAgent(guard.Context, context);

    /// <summary>The same Passport, chain and audience: the same agent context (instances may differ).</summary>
    public static bool IsSameAgent(PassportContext? a, PassportContext? b) =>
        ReferenceEquals(a, b)
        || (a is not null && b is not null
            && string.Equals(a.Token, b.Token, StringComparison.Ordinal)
            && string.Equals(a.Audience, b.Audience, StringComparison.Ordinal)
            && a.ChainTokens.SequenceEqual(b.ChainTokens, StringComparer.Ordinal));
}
