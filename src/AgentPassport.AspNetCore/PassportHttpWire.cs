namespace AgentPassport.AspNetCore;

/// <summary>
/// The HTTP wire contract of spec v1.1 §15: <c>Agent-Passport: &lt;leaf&gt;</c>, <c>Agent-Passport-Chain: &lt;root&gt;,…,&lt;parent&gt;</c>
/// (compact tokens, root first, comma-separated), <c>Agent-Passport-Proof: &lt;proof&gt;</c>; <c>Authorization: Bearer &lt;leaf&gt;</c>
/// also carries the leaf unless the server reserves <c>Authorization</c> for its own OAuth.
/// </summary>
public static class PassportHttpWire
{
    /// <summary>The header with the leaf Passport (compact).</summary>
    public const string PassportHeaderName = "Agent-Passport";

    /// <summary>The header with the parents' compact tokens, root first, comma-separated; absent for a root Passport.</summary>
    public const string ChainHeaderName = "Agent-Passport-Chain";

    /// <summary>The header with the holder's proof of possession (spec v1.1 §11).</summary>
    public const string ProofHeaderName = "Agent-Passport-Proof";

    /// <summary>The <c>Authorization</c> scheme that carries a leaf Passport when the server does not reserve the header.</summary>
    public const string BearerScheme = "Bearer";

    /// <summary>The scheme of <c>WWW-Authenticate</c> challenges and the default authentication scheme name.</summary>
    public const string ChallengeScheme = "AgentPassport";

    /// <summary>The largest proof accepted, in bytes (spec v1.1 §11: 8 KiB).</summary>
    public const int MaxProofBytes = 8 * 1024;

    /// <summary>The path of the RFC 9728 protected-resource metadata document.</summary>
    public const string ProtectedResourceMetadataPath = "/.well-known/oauth-protected-resource";
}
