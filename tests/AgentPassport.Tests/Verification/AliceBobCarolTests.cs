using AgentPassport.Tests.Support;

namespace AgentPassport.Tests.Verification;

public sealed class AliceBobCarolTests : IDisposable
{
    private readonly PassportTestContext _ctx = new();

    [Fact]
    public async Task Carol_VerifiesWithFullChain_EveryClaimChecked()
    {
        var (alice, bob, carol) = await _ctx.AliceBobCarolAsync();

        var policy = PassportTestContext.Policy(PassportTestContext.FlightsAudience, "flights:book", requireIal: 2);
        var verified = await _ctx.Verifier.VerifyAsync(carol.Token, policy, [alice.Token, bob.Token]);

        var p = verified.Passport;
        Assert.Equal(PassportTestContext.IssuerUrl, p.Issuer);
        Assert.Equal(PassportTestContext.Principal, p.Subject);
        Assert.Equal(PassportTestContext.FlightsAudience, p.Audience);
        Assert.Equal(PassportTestContext.Ial2Acr, p.Acr);
        Assert.Equal((2, 2, 2), (p.Ial, p.Aal, p.Fal));
        Assert.Equal("agent:carol", p.AgentId);
        Assert.Equal("model-c", p.AgentModel);
        Assert.Equal(["flights:book"], p.ToolScope.ToStrings());
        Assert.Equal("book SFO-JFK", p.TaskPurpose);
        Assert.Equal(bob.Passport.TokenId, p.ParentJti);
        Assert.Equal(PassportReader.ComputeParentHash(bob.Token), p.ParentHash);
        Assert.Equal(["agent:carol", "agent:bob", "agent:alice"], p.Actor.OutermostFirst());
        Assert.Equal(2, p.Depth);
        Assert.Equal(_ctx.Time.GetUtcNow().AddMinutes(5).ToUnixTimeSeconds(), p.ExpiresAt.ToUnixTimeSeconds());
        Assert.True(p.ExpiresAt <= bob.Passport.ExpiresAt);
        Assert.Equal(p.IssuedAt, p.NotBefore);
        Assert.Equal([alice.Token, bob.Token], verified.ChainTokens);
        Assert.Equal("agent:alice", verified.Chain[0].Passport.AgentId);
        Assert.Null(verified.Chain[0].Passport.ParentJti);
        Assert.Equal(["flights:*"], verified.Chain[1].Passport.ToolScope.ToStrings());
    }

    [Fact]
    public async Task Carol_WithoutChain_IsChainBrokenMissingChain()
    {
        var (_, _, carol) = await _ctx.AliceBobCarolAsync();

        var result = await _ctx.Verifier.ValidateAsync(carol.Token, PassportTestContext.Policy(PassportTestContext.FlightsAudience));

        Assert.False(result.Succeeded);
        Assert.Equal(PassportErrorKind.ChainBroken, result.Error.Kind);
        Assert.Equal(ChainBrokenReason.MissingChain, result.Error.ChainReason);
    }

    [Fact]
    public async Task Carol_HotelsBook_IsScopeViolation()
    {
        var (alice, bob, carol) = await _ctx.AliceBobCarolAsync();

        var result = await _ctx.Verifier.ValidateAsync(carol.Token, PassportTestContext.Policy(PassportTestContext.FlightsAudience, "hotels:book"), [alice.Token, bob.Token]);

        Assert.Equal(PassportErrorKind.ScopeViolation, result.Error!.Kind);
    }

    public void Dispose() => _ctx.Dispose();
}
