namespace AgentPassport;

/// <summary>
/// What a child Passport may hold given its parent (spec §3, §4, §5.6): the one implementation of attenuation.
/// <see cref="PassportIssuer.Delegate"/> applies it when minting (a violation is <see cref="PassportErrorKind.ScopeAttenuation"/>
/// or <see cref="PassportErrorKind.IssuanceRefused"/>); <see cref="ChainLinkRule"/> applies it to every link when verifying
/// (a violation is <see cref="PassportErrorKind.ChainBroken"/> with the matching <see cref="ChainBrokenReason"/>).
/// </summary>
internal static partial class AttenuationRules
{
    /// <summary>Gets a value indicating whether every child scope is covered by some parent scope (capabilities without constraints).</summary>
    /// <param name="child">The child's capabilities (its <c>tool_scope</c>).</param>
    /// <param name="parent">The parent's capabilities.</param>
    /// <param name="uncovered">The first child capability no parent capability covers, when there is one.</param>
    /// <returns><see langword="true"/> when the child only narrows the parent. An empty child is always covered.</returns>
    public static bool CapabilitiesCovered(ScopeSet child, ScopeSet parent, out PassportScope uncovered)
    {
        bool covered = CapabilitiesCovered(child, PassportConstraints.Empty, parent, PassportConstraints.Empty, out var gap);
        uncovered = gap.Scope;
        return covered;
    }

    /// <summary>
    /// Gets a value indicating whether every child capability (a <c>tool_scope</c> entry with its constraints) is covered by
    /// some parent capability (spec v1.1 §13): the parent's pattern covers the child's, and every argument the parent
    /// constrains the child constrains with a subset.
    /// </summary>
    /// <param name="child">The child's <c>tool_scope</c>.</param>
    /// <param name="childConstraints">The child's constraints.</param>
    /// <param name="parent">The parent's <c>tool_scope</c>.</param>
    /// <param name="parentConstraints">The parent's constraints.</param>
    /// <param name="gap">The first child capability no parent capability covers, and why.</param>
    /// <returns><see langword="true"/> when the child only narrows the parent. An empty child is always covered.</returns>
    public static bool CapabilitiesCovered(ScopeSet child, PassportConstraints childConstraints, ScopeSet parent, PassportConstraints parentConstraints, out CapabilityGap gap)
    {
        for (int i = 0; i < child.Count; i++)
        {
            if (!CapabilityCovered(child[i], childConstraints.For(child[i].Value), parent, parentConstraints, out gap))
            {
                return false;
            }
        }

        gap = default;
        return true;
    }

    /// <summary>
    /// One child capability against the parent's: covered when some parent capability's pattern covers the child's and
    /// its constraints are a superset. The gap reported is the scope (no parent pattern covers it) or, when patterns
    /// cover it but constraints widen, the first widened argument of the first covering parent capability.
    /// </summary>
    private static bool CapabilityCovered(PassportScope child, IReadOnlyDictionary<string, PassportConstraint> childConstraints, ScopeSet parent, PassportConstraints parentConstraints, out CapabilityGap gap)
    {
        gap = new CapabilityGap(child, null, null, null);
        for (int i = 0; i < parent.Count; i++)
        {
            if (!parent[i].Covers(child))
            {
                continue;
            }

            var widened = WidenedArgument(childConstraints, parentConstraints.For(parent[i].Value));
            if (widened is null)
            {
                gap = default;
                return true;
            }

            if (gap.Argument is null)
            {
                gap = new CapabilityGap(child, parent[i].Value, widened.Value.Argument, widened.Value.Constraint);
            }
        }

        return false;
    }

    /// <summary>Gets a value indicating whether a child expiring at <paramref name="child"/> stays within its parent's lifetime.</summary>
    public static bool ExpiryWithin(DateTimeOffset child, DateTimeOffset parent) => child <= parent;

    /// <summary>The expiry a child gets: the one asked for, never past the parent's.</summary>
    public static DateTimeOffset ClampExpiry(DateTimeOffset requested, DateTimeOffset parent) => ExpiryWithin(requested, parent) ? requested : parent;

    /// <summary>Gets a value indicating whether an assurance level the parent lacks appears on the child.</summary>
    public static bool LevelAppeared(int? child, int? parent) => child is not null && parent is null;

    /// <summary>Gets a value indicating whether an assurance level is higher on the child than on the parent.</summary>
    public static bool LevelRaised(int? child, int? parent) => child > parent;

    /// <summary>Gets a value indicating whether a parent with <paramref name="parentMaxDepth"/> may have children at all (<c>max_depth</c> 0 forbids it).</summary>
    public static bool AllowsChild(int? parentMaxDepth) => parentMaxDepth != 0;

    /// <summary>The child's <c>max_depth</c> when none is asked for: one less than the parent's, or none when the parent has none.</summary>
    public static int? InheritedMaxDepth(int? parentMaxDepth) => parentMaxDepth - 1;

    /// <summary>Gets a value indicating whether the child's <c>max_depth</c> is smaller than a parent's that has one.</summary>
    public static bool MaxDepthNarrows(int? parentMaxDepth, int? childMaxDepth) =>
        parentMaxDepth is not int parentMax || (childMaxDepth is int childMax && childMax < parentMax);

    /// <summary>The child's <c>act</c>: the parent's whole <c>act</c> wrapped once with the child's agent id.</summary>
    public static PassportActor ChildActor(string childAgentId, PassportActor parentActor) => new(childAgentId, parentActor);

    /// <summary>Gets a value indicating whether the child's <c>act</c> is <see cref="ChildActor"/> of its parent's.</summary>
    public static bool ActorWrapsParent(Passport child, Passport parent) =>
        child.Actor.Parent is not null && child.Actor.Parent == parent.Actor && child.Actor.Subject == child.AgentId;

    /// <summary>Gets a value indicating whether a child keeps its parent's issuer (spec v1.1 §10: a chain keeps one issuer).</summary>
    public static bool KeepsIssuer(string child, string parent) => string.Equals(child, parent, StringComparison.Ordinal);
}
