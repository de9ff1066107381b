namespace AgentPassport;

/// <summary>The hard limits of the Passport format (spec §2). Configuration may lower them, never raise them.</summary>
public static class PassportLimits
{
    /// <summary>The largest compact token, in bytes (16 KiB).</summary>
    public const int MaxTokenBytes = 16 * 1024;

    /// <summary>The deepest delegation chain: hops below the root (the <c>act</c> nesting cap).</summary>
    public const int MaxChainDepth = 8;

    /// <summary>
    /// The most bytes of all the parents' compact tokens together (128 KiB: the depth cap times the token cap). Checked,
    /// with the parent count and each token's size, before any copy, parse or signature work.
    /// </summary>
    public const int MaxChainBytes = MaxChainDepth * MaxTokenBytes;

    /// <summary>The longest <c>agent_id</c> the issuer mints, in UTF-8 bytes (it also refuses control characters).</summary>
    public const int MaxAgentIdBytes = 256;

    /// <summary>The longest <c>agent_model</c> the issuer mints, in UTF-8 bytes (it also refuses control characters).</summary>
    public const int MaxAgentModelBytes = 256;

    /// <summary>The longest <c>task_purpose</c> the issuer mints, in UTF-8 bytes (it also refuses control characters).</summary>
    public const int MaxTaskPurposeBytes = 1024;

    /// <summary>The most scopes in one Passport.</summary>
    public const int MaxScopes = ScopeSet.MaxCount;

    /// <summary>The longest scope, in characters.</summary>
    public const int MaxScopeLength = PassportScope.MaxLength;

    /// <summary>The default root lifetime (15 minutes).</summary>
    public static readonly TimeSpan DefaultRootTtl = TimeSpan.FromMinutes(15);

    /// <summary>The longest root lifetime (24 hours).</summary>
    public static readonly TimeSpan MaxRootTtl = TimeSpan.FromHours(24);

    /// <summary>The default child lifetime (5 minutes); a child never outlives its parent.</summary>
    public static readonly TimeSpan DefaultChildTtl = TimeSpan.FromMinutes(5);

    /// <summary>The largest clock skew a verification policy may allow (2 minutes): bounds how long an entry that matches an expired token must be kept.</summary>
    public static readonly TimeSpan MaxClockSkew = TimeSpan.FromSeconds(120);
}
