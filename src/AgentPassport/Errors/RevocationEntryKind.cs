namespace AgentPassport;

/// <summary>What a <see cref="RevocationEntry"/> matches.</summary>
public enum RevocationEntryKind
{
    /// <summary>Not a revocation.</summary>
    None = 0,

    /// <summary>One Passport by its <c>jti</c>, and through the chain check every Passport delegated from it.</summary>
    TokenId = 1,

    /// <summary>Every Passport of a principal (<c>sub</c>) issued before a time.</summary>
    Subject = 2,

    /// <summary>Every Passport held by an <c>agent_id</c> issued before a time.</summary>
    Agent = 3,
}
