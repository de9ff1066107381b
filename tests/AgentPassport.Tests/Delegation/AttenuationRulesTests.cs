namespace AgentPassport.Tests.Delegation;

/// <summary>The one attenuation implementation shared by issuance and chain verification, rule by rule (spec §3, §4).</summary>
public sealed class AttenuationRulesTests
{
    [Theory]
    [InlineData(new string[0], new[] { "a:*" }, null)]
    [InlineData(new[] { "a:b:*" }, new[] { "a:*" }, null)]
    [InlineData(new[] { "a:b", "c" }, new[] { "c", "a:*" }, null)]
    [InlineData(new[] { "a:*" }, new[] { "a:b:*" }, "a:*")]
    [InlineData(new[] { "a" }, new string[0], "a")]
    [InlineData(new[] { "a:b", "*" }, new[] { "a:*" }, "*")]
    public void CapabilitiesCovered_EveryChildCapabilityNeedsSomeParentCapability(string[] child, string[] parent, string? uncovered)
    {
        bool covered = AttenuationRules.CapabilitiesCovered(ScopeSet.Parse(child), ScopeSet.Parse(parent), out var first);

        Assert.Equal(uncovered is null, covered);
        Assert.Equal(uncovered, covered ? null : first.Value);
    }

    [Theory]
    [InlineData(null, null, true)]
    [InlineData(null, 3, true)]
    [InlineData(2, null, false)]
    [InlineData(2, 2, false)]
    [InlineData(2, 1, true)]
    public void MaxDepthNarrows_OnlyUnderAParentThatHasOne(int? parent, int? child, bool narrows) =>
        Assert.Equal(narrows, AttenuationRules.MaxDepthNarrows(parent, child));

    [Fact]
    public void AllowsChild_IsFalseOnlyForMaxDepthZero_AndTheInheritedDepthIsOneLess()
    {
        Assert.False(AttenuationRules.AllowsChild(0));
        Assert.True(AttenuationRules.AllowsChild(1));
        Assert.True(AttenuationRules.AllowsChild(null));
        Assert.Equal(1, AttenuationRules.InheritedMaxDepth(2));
        Assert.Null(AttenuationRules.InheritedMaxDepth(null));
    }

    [Theory]
    [InlineData(null, null, false, false)]
    [InlineData(2, null, true, false)]
    [InlineData(null, 2, false, false)]
    [InlineData(2, 2, false, false)]
    [InlineData(1, 2, false, false)]
    [InlineData(3, 2, false, true)]
    public void Levels_MayBeKeptLoweredOrDropped_NeverAddedOrRaised(int? child, int? parent, bool appeared, bool raised)
    {
        Assert.Equal(appeared, AttenuationRules.LevelAppeared(child, parent));
        Assert.Equal(raised, AttenuationRules.LevelRaised(child, parent));
    }

    [Fact]
    public void Expiry_IsClampedToTheParents_AndEqualIsWithin()
    {
        var parent = new DateTimeOffset(2026, 6, 1, 12, 0, 0, TimeSpan.Zero);

        Assert.Equal(parent, AttenuationRules.ClampExpiry(parent.AddSeconds(1), parent));
        Assert.Equal(parent.AddSeconds(-1), AttenuationRules.ClampExpiry(parent.AddSeconds(-1), parent));
        Assert.True(AttenuationRules.ExpiryWithin(parent, parent));
        Assert.False(AttenuationRules.ExpiryWithin(parent.AddSeconds(1), parent));
    }

    [Fact]
    public void ChildActor_WrapsTheParentsActOnce_AndActorWrapsParentRecognisesIt()
    {
        var parentActor = new PassportActor("agent:alice");
        var parent = Claims("agent:alice", parentActor);
        var child = Claims("agent:bob", AttenuationRules.ChildActor("agent:bob", parentActor));
        var imposter = Claims("agent:bob", new PassportActor("agent:mallory", parentActor));

        Assert.True(AttenuationRules.ActorWrapsParent(child, parent));
        Assert.False(AttenuationRules.ActorWrapsParent(imposter, parent));
        Assert.False(AttenuationRules.ActorWrapsParent(parent, parent));
    }

    private static Passport Claims(string agentId, PassportActor actor) => new()
    {
        Issuer = "https://issuer.test",
        Subject = "user",
        Audience = "https://a.example/",
        IssuedAt = DateTimeOffset.UnixEpoch,
        NotBefore = DateTimeOffset.UnixEpoch,
        ExpiresAt = DateTimeOffset.UnixEpoch.AddMinutes(5),
        TokenId = Guid.NewGuid().ToString(),
        Actor = actor,
        AgentId = agentId,
        AgentModel = "m",
        ToolScope = ScopeSet.Empty,
    };
}
