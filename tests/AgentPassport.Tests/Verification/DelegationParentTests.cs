using AgentPassport.Tests.Support;

namespace AgentPassport.Tests.Verification;

/// <summary><see cref="PassportVerifier.ValidateDelegationParentAsync"/>: the one parent check the core delegator and the CLI share.</summary>
public sealed class DelegationParentTests : IDisposable
{
    private readonly PassportTestContext _ctx = new();

    [Fact]
    public async Task WildcardParent_IsRefused_UnderAPolicyWithoutWildcards()
    {
        var root = _ctx.IssueAlice("*");

        var result = await _ctx.Verifier.ValidateDelegationParentAsync(root.Token, PassportTestContext.Policy(PassportTestContext.AliceAudience), root.ChainTokens);

        Assert.Equal(PassportErrorKind.WildcardScopeNotAllowed, result.Error?.Kind);
    }

    [Fact]
    public async Task WildcardParent_Verifies_WhenThePolicyAllowsWildcards_AndCanBeNarrowed()
    {
        var root = _ctx.IssueAlice("*");
        var policy = new VerificationPolicy(PassportTestContext.IssuerUrl, PassportTestContext.AliceAudience) { AllowWildcardScope = true };

        var result = await _ctx.Verifier.ValidateDelegationParentAsync(root.Token, policy, root.ChainTokens);
        Assert.True(result.Succeeded, result.Error?.ToString());
        var child = _ctx.Issuer.Delegate(result.Passport!, new DelegationRequest
        {
            AgentId = "agent:bob",
            AgentModel = "model-b",
            Audience = PassportTestContext.BobAudience,
            ToolScope = ["calendar:read"],
        });

        Assert.Equal(["calendar:read"], child.Passport.ToolScope.ToStrings());
    }

    [Fact]
    public async Task ParentAtDepthTwo_VerifiesWithItsChain_AndNotWithoutIt()
    {
        var (_, _, carol) = await _ctx.AliceBobCarolAsync();
        var policy = PassportTestContext.Policy(PassportTestContext.FlightsAudience);

        var withChain = await _ctx.Verifier.ValidateDelegationParentAsync(carol.Token, policy, carol.ChainTokens);
        var withoutChain = await _ctx.Verifier.ValidateDelegationParentAsync(carol.Token, policy);

        Assert.True(withChain.Succeeded, withChain.Error?.ToString());
        Assert.Equal(2, withChain.Passport.Chain.Count);
        Assert.Equal(ChainBrokenReason.MissingChain, withoutChain.Error?.ChainReason);
    }

    [Fact]
    public async Task ParentPresentedAtAnotherAudience_IsAudienceMismatch()
    {
        var root = _ctx.IssueAlice();

        var result = await _ctx.Verifier.ValidateDelegationParentAsync(root.Token, PassportTestContext.Policy(PassportTestContext.BobAudience));

        Assert.Equal(PassportErrorKind.AudienceMismatch, result.Error?.Kind);
    }

    public void Dispose() => _ctx.Dispose();
}
