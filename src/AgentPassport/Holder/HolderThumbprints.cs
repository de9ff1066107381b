using AgentPassport.Internal;

namespace AgentPassport;

/// <summary>The form of a holder thumbprint (<c>cnf.jkt</c>): canonical base64url of 32 bytes, 43 characters.</summary>
internal static class HolderThumbprints
{
    public const int Length = 43;

    public static bool IsWellFormed(string? thumbprint) =>
        thumbprint is { Length: Length } && CanonicalBase64Url.IsCanonical(thumbprint);
}
