using System.Text.Json.Nodes;
using AgentPassport.Tests.Support;

namespace AgentPassport.Tests.Verification;

/// <summary>
/// Spec §5.6: for each chain continuity rule, a chain that breaks exactly that rule, every token correctly signed by
/// the trusted key, is refused as ChainBroken with that rule's reason.
/// </summary>
public sealed class ChainRulesTests : IDisposable
{
    private const string OtherIssuer = "https://other-issuer.test";

    private readonly ForgeFixture _f = new();

    [Fact]
    public void Baseline_UntamperedForgedChain_Verifies()
    {
        var tokens = ForgedChain.AliceBobCarol(rootMaxDepth: 3).Sign(_f.Key);

        var result = _f.Validate(tokens);

        Assert.True(result.Succeeded, result.Error?.ToString());
        Assert.Equal(["agent:carol", "agent:bob", "agent:alice"], result.Passport.Passport.Actor.OutermostFirst());
    }

    [Fact]
    public void MissingChain_DelegatedLeafWithoutParents()
    {
        var tokens = ForgedChain.AliceBobCarol().Sign(_f.Key);

        AssertBroken(_f.Validate(tokens[^1], []), ChainBrokenReason.MissingChain, null);
    }

    [Fact]
    public void UnexpectedChain_RootLeafWithAChain()
    {
        var tokens = ForgedChain.AliceBobCarol().Sign(_f.Key);
        var otherRoot = TokenForge.Sign(TokenForge.RootClaims("agent:zed"), _f.Key);

        AssertBroken(_f.Validate(tokens[0], [otherRoot]), ChainBrokenReason.UnexpectedChain, null);
    }

    [Fact]
    public void ParentJtiMismatch_ChildNamesAnotherParentJti()
    {
        var tokens = ForgedChain.AliceBobCarol().Sign(_f.Key, (i, c) => Leaf(i, c, () => c[PassportClaimNames.ParentJti] = "jti-someone-else"));

        AssertBroken(_f.Validate(tokens), ChainBrokenReason.ParentJtiMismatch, null);
    }

    [Fact]
    public void ParentHashMismatch_ChildBoundToAnotherToken()
    {
        var tokens = ForgedChain.AliceBobCarol().Sign(_f.Key, (i, c) => Leaf(i, c, () => c[PassportClaimNames.ParentHash] = PassportReader.ComputeParentHash("another.parent.token")));

        AssertBroken(_f.Validate(tokens), ChainBrokenReason.ParentHashMismatch, null);
    }

    [Fact]
    public void ParentHashMismatch_ParentReplacedBySiblingWithSameJti()
    {
        // Bob' is a different token with Bob's jti (e.g. re-signed with wider scopes): only parent_hash tells them apart.
        var chain = ForgedChain.AliceBobCarol();
        var tokens = chain.Sign(_f.Key);
        var bobPrime = TokenForge.Payload(tokens[1]);
        bobPrime[PassportClaimNames.ToolScope] = TokenForge.ScopeArray(["flights:*", "hotels:*"]);

        AssertBroken(_f.Validate(tokens[2], [tokens[0], TokenForge.Sign(bobPrime, _f.Key)]), ChainBrokenReason.ParentHashMismatch, null);
    }

    [Fact]
    public void SubjectMismatch_ChildForAnotherPrincipal()
    {
        var tokens = ForgedChain.AliceBobCarol().Sign(_f.Key, (i, c) => Leaf(i, c, () => c["sub"] = "user-mallory"));

        AssertBroken(_f.Validate(tokens), ChainBrokenReason.SubjectMismatch, null);
    }

    [Fact]
    public void ActorMismatch_InnerActorsRewritten()
    {
        var tokens = ForgedChain.AliceBobCarol().Sign(_f.Key, (i, c) => Leaf(i, c, () =>
            c["act"] = new JsonObject { ["sub"] = "agent:carol", ["act"] = new JsonObject { ["sub"] = "agent:mallory", ["act"] = new JsonObject { ["sub"] = "agent:alice" } } }));

        AssertBroken(_f.Validate(tokens), ChainBrokenReason.ActorMismatch, null);
    }

    [Fact]
    public void ActorMismatch_ActNestingDoesNotMatchChainLength()
    {
        // Carol's act skips Bob: one actor too few for a chain of two parents.
        var tokens = ForgedChain.AliceBobCarol().Sign(_f.Key, (i, c) => Leaf(i, c, () =>
            c["act"] = new JsonObject { ["sub"] = "agent:carol", ["act"] = new JsonObject { ["sub"] = "agent:alice" } }));

        AssertBroken(_f.Validate(tokens), ChainBrokenReason.ActorMismatch, null);
    }

    [Fact]
    public void ExpiryExceedsParent_ChildOutlivesParent()
    {
        var tokens = ForgedChain.AliceBobCarol().Sign(_f.Key, (i, c) => Leaf(i, c, () => c["exp"] = TokenForge.Unix(TokenForge.Now.AddMinutes(6))));

        AssertBroken(_f.Validate(tokens), ChainBrokenReason.ExpiryExceedsParent, null);
    }

    [Fact]
    public void ScopeNotAttenuated_ChildWidensScope()
    {
        var tokens = ForgedChain.AliceBobCarol().Sign(_f.Key, (i, c) => Leaf(i, c, () => c[PassportClaimNames.ToolScope] = TokenForge.ScopeArray(["flights:book", "hotels:book"])));

        var result = _f.Validate(tokens);

        AssertBroken(result, ChainBrokenReason.ScopeNotAttenuated, null);
        Assert.Contains("hotels:book", result.Error!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void LevelAppeared_ChildHasLevelParentLacks()
    {
        // Bob drops IAL (allowed: lowering); Carol claims IAL 2 again.
        var tokens = ForgedChain.AliceBobCarol().Sign(_f.Key, (i, c) =>
        {
            if (i == 1)
            {
                c.Remove("ial");
            }
        });

        AssertBroken(_f.Validate(tokens), ChainBrokenReason.LevelAppeared, null);
    }

    [Theory]
    [InlineData("ial")]
    [InlineData("aal")]
    [InlineData("fal")]
    public void LevelRaised_ChildRaisesALevel(string level)
    {
        var tokens = ForgedChain.AliceBobCarol().Sign(_f.Key, (i, c) => Leaf(i, c, () => c[level] = 3));

        var result = _f.Validate(tokens);

        AssertBroken(result, ChainBrokenReason.LevelRaised, null);
        Assert.Contains(level.ToUpperInvariant(), result.Error!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void MaxDepthNotDecreasing_ChildKeepsParentsMaxDepth()
    {
        // Root max_depth 3 → Bob 2 → Carol must be < 2.
        var tokens = ForgedChain.AliceBobCarol(rootMaxDepth: 3).Sign(_f.Key, (i, c) => Leaf(i, c, () => c[PassportClaimNames.MaxDepth] = 2));

        AssertBroken(_f.Validate(tokens), ChainBrokenReason.MaxDepthNotDecreasing, null);
    }

    [Fact]
    public void MaxDepthNotDecreasing_ChildDropsMaxDepth()
    {
        var tokens = ForgedChain.AliceBobCarol(rootMaxDepth: 3).Sign(_f.Key, (i, c) => Leaf(i, c, () => c.Remove(PassportClaimNames.MaxDepth)));

        AssertBroken(_f.Validate(tokens), ChainBrokenReason.MaxDepthNotDecreasing, null);
    }

    [Fact]
    public void DepthExceeded_ParentAllowsNoFurtherDelegation()
    {
        // Root max_depth 1 → Bob 0: Carol (without max_depth, so the schema holds) is one hop too many.
        var tokens = ForgedChain.AliceBobCarol(rootMaxDepth: 1).Sign(_f.Key, (i, c) => Leaf(i, c, () => c.Remove(PassportClaimNames.MaxDepth)));

        AssertBroken(_f.Validate(tokens), ChainBrokenReason.DepthExceeded, null);
    }

    [Fact]
    public void DepthExceeded_ChainDeeperThanPolicyCap()
    {
        var tokens = ForgedChain.AliceBobCarol().Sign(_f.Key);

        AssertBroken(_f.Validate(tokens, new VerificationPolicy(TokenForge.Issuer, TokenForge.Audience) { MaxChainDepth = 1 }), ChainBrokenReason.DepthExceeded, null);
    }

    [Fact]
    public void DuplicateJti_LeafReusesTheRootsJti()
    {
        var tokens = ForgedChain.AliceBobCarol().Sign(_f.Key, (i, c) => Leaf(i, c, () => c["jti"] = "jti-agent:alice"));

        AssertBroken(_f.Validate(tokens), ChainBrokenReason.DuplicateJti, null);
    }

    [Fact]
    public void RootHasParent_ChainRootCarriesParentClaims()
    {
        var tokens = ForgedChain.AliceBobCarol().Sign(_f.Key, (i, c) =>
        {
            if (i == 0)
            {
                c[PassportClaimNames.ParentJti] = "jti-ghost";
                c[PassportClaimNames.ParentHash] = PassportReader.ComputeParentHash("ghost.parent.token");
            }
        });

        AssertBroken(_f.Validate(tokens), ChainBrokenReason.RootHasParent, 0);
    }

    [Fact]
    public void ParentClaimsIncomplete_MiddleHopWithoutParentClaims()
    {
        // Bob carries a two-actor act but no link claims: nothing binds him to Alice.
        var tokens = ForgedChain.AliceBobCarol().Sign(_f.Key, (i, c) =>
        {
            if (i == 1)
            {
                c.Remove(PassportClaimNames.ParentJti);
                c.Remove(PassportClaimNames.ParentHash);
            }
        });

        AssertBroken(_f.Validate(tokens), ChainBrokenReason.ParentClaimsIncomplete, 1);
    }

    [Theory]
    [InlineData(PassportClaimNames.ParentJti)]
    [InlineData(PassportClaimNames.ParentHash)]
    public void HalfTheLinkClaims_IsMalformedClaims(string removed)
    {
        // The schema requires parent_jti and parent_hash together, so this never reaches the chain rules.
        var tokens = ForgedChain.AliceBobCarol().Sign(_f.Key, (i, c) => Leaf(i, c, () => c.Remove(removed)));

        var result = _f.Validate(tokens);

        Assert.Equal(PassportErrorKind.MalformedClaims, result.Error!.Kind);
    }

    [Fact]
    public async Task IssuerChanged_LeafOfAnotherTrustedIssuerUnderThisIssuersChain()
    {
        // Both issuers are trusted and each link verifies under its own issuer's keys: only the chain rule refuses it.
        using var otherKey = PassportSigningKey.Generate();
        var verifier = new PassportVerifier(new TrustedIssuers
        {
            { TokenForge.Issuer, new JwksPassportKeyResolver([_f.Key.PublicKey]) },
            { OtherIssuer, new JwksPassportKeyResolver([otherKey.PublicKey]) },
        }, _f.Time);
        var tokens = ForgedChain.AliceBobCarol().Sign(_f.Key, (i, c) => Leaf(i, c, () => c["iss"] = OtherIssuer), i => i == 2 ? otherKey : _f.Key);

        var result = await verifier.ValidateAsync(tokens[^1], new VerificationPolicy([TokenForge.Issuer, OtherIssuer], TokenForge.Audience), tokens[..^1]);

        AssertBroken(result, ChainBrokenReason.IssuerChanged, 1);
        Assert.Equal(TokenForge.Issuer, result.Error!.Details.Issuer);
        Assert.Equal(TokenForge.Payload(tokens[1])["jti"]!.GetValue<string>(), result.Error.Details.ParentTokenId);
        Assert.Equal(TokenForge.Payload(tokens[2])["jti"]!.GetValue<string>(), result.Error.Details.ChildTokenId);
    }

    [Fact]
    public async Task IssuerChanged_RootOfAnotherTrustedIssuer()
    {
        using var otherKey = PassportSigningKey.Generate();
        var verifier = new PassportVerifier(new TrustedIssuers
        {
            { TokenForge.Issuer, new JwksPassportKeyResolver([_f.Key.PublicKey]) },
            { OtherIssuer, new JwksPassportKeyResolver([otherKey.PublicKey]) },
        }, _f.Time);
        var tokens = ForgedChain.AliceBobCarol().Sign(_f.Key, (i, c) => { if (i == 0) { c["iss"] = OtherIssuer; } }, i => i == 0 ? otherKey : _f.Key);

        var result = await verifier.ValidateAsync(tokens[^1], new VerificationPolicy([TokenForge.Issuer, OtherIssuer], TokenForge.Audience), tokens[..^1]);

        AssertBroken(result, ChainBrokenReason.IssuerChanged, 0);
    }

    [Fact]
    public void AcrChanged_ChildClaimsAHigherAcrThanItsParent()
    {
        // The case: a child claims ial/3 as its acr while its levels stay those of its parent.
        var tokens = ForgedChain.AliceBobCarol().Sign(_f.Key, (i, c) => Leaf(i, c, () => c["acr"] = "http://idmanagement.gov/ns/assurance/ial/3"));

        var result = _f.Validate(tokens);

        AssertBroken(result, ChainBrokenReason.AcrChanged, null);
        Assert.NotNull(result.Error!.Details.ChildTokenId);
    }

    [Fact]
    public void AcrChanged_AcrAppearsWhereTheParentHasNone()
    {
        var chain = ForgedChain.AliceBobCarol();
        chain.Claims[0].Remove("acr");
        chain.Claims[1].Remove("acr");
        var tokens = chain.Sign(_f.Key);

        AssertBroken(_f.Validate(tokens), ChainBrokenReason.AcrChanged, null);
    }

    [Fact]
    public void AcrDropped_ByAChild_IsAcrChanged()
    {
        var tokens = ForgedChain.AliceBobCarol().Sign(_f.Key, (i, c) => { if (i >= 1) { c.Remove("acr"); } });

        AssertBroken(_f.Validate(tokens), ChainBrokenReason.AcrChanged, 1);
    }

    [Fact]
    public void ConstraintWidened_MiddleLinkRaisesItsParentsLimit()
    {
        // Alice limits flights:* to amount ≤ 500; Bob (forged) raises it to 900; Carol keeps 900: Bob's link breaks.
        var tokens = ForgedChain.AliceBobCarol().Sign(_f.Key, (i, c) =>
        {
            string max = i == 0 ? "500" : "900";
            string scope = i == 2 ? "flights:book" : "flights:*";
            c[PassportClaimNames.Constraints] = JsonNode.Parse("{\"" + scope + "\":{\"amount\":{\"max\":" + max + "}}}");
        });

        AssertBroken(_f.Validate(tokens), ChainBrokenReason.ConstraintWidened, 1);
    }

    [Fact]
    public void EveryChainBrokenReason_IsCoveredByAForgeryTest()
    {
        // Guards this class: a new reason added to the enum needs its own forged-chain test above.
        var covered = new[]
        {
            ChainBrokenReason.MissingChain, ChainBrokenReason.UnexpectedChain, ChainBrokenReason.ParentJtiMismatch,
            ChainBrokenReason.ParentHashMismatch, ChainBrokenReason.SubjectMismatch, ChainBrokenReason.ActorMismatch,
            ChainBrokenReason.ExpiryExceedsParent, ChainBrokenReason.ScopeNotAttenuated, ChainBrokenReason.LevelAppeared,
            ChainBrokenReason.LevelRaised, ChainBrokenReason.MaxDepthNotDecreasing, ChainBrokenReason.DepthExceeded,
            ChainBrokenReason.DuplicateJti, ChainBrokenReason.RootHasParent, ChainBrokenReason.ParentClaimsIncomplete,
            ChainBrokenReason.IssuerChanged, ChainBrokenReason.AcrChanged, ChainBrokenReason.ConstraintWidened,
        };

        Assert.Equal(Enum.GetValues<ChainBrokenReason>().Where(r => r != ChainBrokenReason.None).Order(), covered.Order());
    }

    public void Dispose() => _f.Dispose();

    private static void Leaf(int index, JsonObject claims, Action tamper)
    {
        if (index == 2)
        {
            tamper();
        }
    }

    private static void AssertBroken(PassportValidationResult result, ChainBrokenReason reason, int? chainIndex)
    {
        Assert.False(result.Succeeded);
        Assert.Equal(PassportErrorKind.ChainBroken, result.Error.Kind);
        Assert.Equal(reason, result.Error.ChainReason);
        Assert.Equal(chainIndex, result.Error.ChainIndex);
        Assert.Equal($"AP15{(int)reason:D2}", result.Error.Code);
    }
}
