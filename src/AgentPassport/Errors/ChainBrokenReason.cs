namespace AgentPassport;

/// <summary>
/// The chain continuity rule (spec §5.6) a <see cref="PassportErrorKind.ChainBroken"/> failure broke.
/// </summary>
public enum ChainBrokenReason
{
    /// <summary>Not a chain failure.</summary>
    None = 0,

    /// <summary>The leaf names a parent but no chain was given.</summary>
    MissingChain = 1,

    /// <summary>The leaf is a root but a chain was given.</summary>
    UnexpectedChain = 2,

    /// <summary>A child's <c>parent_jti</c> is not its parent's <c>jti</c>.</summary>
    ParentJtiMismatch = 3,

    /// <summary>A child's <c>parent_hash</c> is not the hash of its parent's compact serialization.</summary>
    ParentHashMismatch = 4,

    /// <summary>A child's <c>sub</c> differs from its parent's.</summary>
    SubjectMismatch = 5,

    /// <summary>A child's <c>act</c> is not its parent's <c>act</c> wrapped once with the child's <c>agent_id</c>.</summary>
    ActorMismatch = 6,

    /// <summary>A child expires after its parent.</summary>
    ExpiryExceedsParent = 7,

    /// <summary>A child's scopes are not covered by its parent's.</summary>
    ScopeNotAttenuated = 8,

    /// <summary>An assurance level appears on a child whose parent has none.</summary>
    LevelAppeared = 9,

    /// <summary>An assurance level is higher on a child than on its parent.</summary>
    LevelRaised = 10,

    /// <summary>A child's <c>max_depth</c> is missing or not smaller than its parent's.</summary>
    MaxDepthNotDecreasing = 11,

    /// <summary>The chain is deeper than the cap (policy, or a <c>max_depth</c> claim).</summary>
    DepthExceeded = 12,

    /// <summary>A <c>jti</c> appears twice in the chain.</summary>
    DuplicateJti = 13,

    /// <summary>The chain root carries parent claims.</summary>
    RootHasParent = 14,

    /// <summary>A token that has a parent in the chain carries no <c>parent_jti</c>/<c>parent_hash</c> (a token with only one of the two is <see cref="PassportErrorKind.MalformedClaims"/>).</summary>
    ParentClaimsIncomplete = 15,

    /// <summary>A link's <c>iss</c> differs from the leaf's (spec v1.1 §10: a chain has one issuer).</summary>
    IssuerChanged = 16,

    /// <summary>A link's <c>acr</c> differs from its parent's, or appears where the parent has none (spec v1.1 §10).</summary>
    AcrChanged = 17,

    /// <summary>A child capability widens its parent's argument constraints (spec v1.1 §13): no parent capability covers both its scope and its constraints.</summary>
    ConstraintWidened = 18,
}
