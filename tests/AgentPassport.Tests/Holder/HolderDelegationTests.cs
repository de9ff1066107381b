using AgentPassport.Tests.Support;

namespace AgentPassport.Tests.Holder;

/// <summary>Delegating from a bound parent needs a proof by the parent's key (op delegate, aud the issuer, ath the parent), and binds the child to its own key.</summary>
public sealed class HolderDelegationTests : IDisposable
{
    private readonly HolderFixture _h = new();

    private async Task<VerifiedPassport> BobVerifiedAsync() =>
        await _h.F.Verifier.VerifyAsync(_h.Bob.Token, PassportTestContext.Policy(PassportTestContext.BobAudience), _h.Bob.ChainTokens);

    private DelegationRequest ForThief(string? proof) => new()
    {
        AgentId = "agent:mallory",
        AgentModel = "m",
        Audience = PassportTestContext.FlightsAudience,
        ToolScope = ["flights:book"],
        HolderThumbprint = _h.ThiefKey.Thumbprint,
        ParentProof = proof,
    };

    private string DelegateProof(PassportHolderKey key, string? token = null, string? audience = null, string op = PassportProof.DelegateOperation) =>
        PassportProof.Create(key, audience ?? PassportTestContext.IssuerUrl, token ?? _h.Bob.Token, op, timeProvider: _h.F.Time);

    [Fact]
    public void EachHop_IsBoundToItsOwnHolder()
    {
        Assert.Equal(_h.AliceKey.Thumbprint, _h.Alice.Passport.HolderThumbprint);
        Assert.Equal(_h.BobKey.Thumbprint, _h.Bob.Passport.HolderThumbprint);
        Assert.Equal(_h.CarolKey.Thumbprint, _h.Carol.Passport.HolderThumbprint);
    }

    [Fact]
    public async Task StolenParent_WithoutAProof_IsProofRequired()
    {
        var ex = await Assert.ThrowsAsync<AgentPassportException>(async () => await _h.F.Issuer.DelegateAsync(await BobVerifiedAsync(), ForThief(null)));
        Assert.Equal(PassportErrorKind.ProofRequired, ex.Kind);
    }

    [Fact]
    public async Task StolenParent_WithTheThiefsOwnProof_IsHolderMismatch()
    {
        var ex = await Assert.ThrowsAsync<AgentPassportException>(async () => await _h.F.Issuer.DelegateAsync(await BobVerifiedAsync(), ForThief(DelegateProof(_h.ThiefKey))));
        Assert.Equal(PassportErrorKind.HolderMismatch, ex.Kind);
    }

    [Fact]
    public async Task ParentProof_ForAnotherAudienceOrOp_OrOverAnotherToken_IsInvalidProof()
    {
        var bob = await BobVerifiedAsync();
        foreach (var (proof, reason) in new[]
        {
            (DelegateProof(_h.BobKey, audience: "https://other-issuer.test"), ProofFailureReason.Audience),
            (DelegateProof(_h.BobKey, op: "flights:book"), ProofFailureReason.Operation),
            (DelegateProof(_h.BobKey, token: _h.Carol.Token), ProofFailureReason.TokenHash),
        })
        {
            var ex = Assert.Throws<AgentPassportException>(() => _h.F.Issuer.Delegate(bob, ForThief(proof)));
            Assert.Equal(PassportErrorKind.InvalidProof, ex.Kind);
            Assert.Equal(reason, ex.Error.Details.ProofReason);
        }
    }

    [Fact]
    public async Task CapturedDelegationProof_CannotBeUsedTwice()
    {
        var bob = await BobVerifiedAsync();
        string proof = DelegateProof(_h.BobKey);
        var child = _h.F.Issuer.Delegate(bob, ForThief(proof) with { HolderThumbprint = _h.CarolKey.Thumbprint });
        Assert.Equal(_h.CarolKey.Thumbprint, child.Passport.HolderThumbprint);
        var ex = Assert.Throws<AgentPassportException>(() => _h.F.Issuer.Delegate(bob, ForThief(proof)));
        Assert.Equal(PassportErrorKind.ReplayDetected, ex.Kind);
    }

    [Fact]
    public async Task BoundParent_UnboundChild_IsRefused()
    {
        var ex = Assert.Throws<AgentPassportException>(() => _h.F.Issuer.Delegate(_h.F.Verifier.VerifyAsync(_h.Bob.Token, PassportTestContext.Policy(PassportTestContext.BobAudience), _h.Bob.ChainTokens).AsTask().GetAwaiter().GetResult(),
            ForThief(DelegateProof(_h.BobKey)) with { HolderThumbprint = null }));
        Assert.Equal(PassportErrorKind.IssuanceRefused, ex.Kind);
        await Task.CompletedTask;
    }

    [Fact]
    public async Task Delegator_InProcess_SignsTheParentsProof_AndBindsTheChildToANewKey()
    {
        var delegator = new PassportDelegator(_h.F.Issuer, new PassportAuthorizer(_h.F.Verifier,
            new PassportAuthorizerOptions { Policy = new VerificationPolicy(PassportTestContext.IssuerUrl, PassportTestContext.BobAudience) }, timeProvider: _h.F.Time));
        var bob = PassportContext.From(_h.Bob, PassportTestContext.BobAudience).WithHolderKey(_h.BobKey);
        var request = new DelegationRequest { AgentId = "agent:dave", AgentModel = "m", Audience = PassportTestContext.FlightsAudience, ToolScope = ["flights:book"] };

        var dave = await delegator.DelegateAsync(bob, request);
        Assert.NotNull(dave.HolderKey);
        Assert.NotEqual(_h.BobKey.Thumbprint, dave.HolderKey.Thumbprint);
        Assert.Equal(dave.HolderKey.Thumbprint, PassportReader.DecodeUnverified(dave.Token).HolderThumbprint);

        // The same parent without its key (a thief holding Bob's context) cannot delegate.
        var stolen = PassportContext.From(_h.Bob, PassportTestContext.BobAudience);
        var ex = await Assert.ThrowsAsync<AgentPassportException>(async () => await delegator.DelegateAsync(stolen, request with { HolderThumbprint = _h.ThiefKey.Thumbprint }));
        Assert.Equal(PassportErrorKind.ProofRequired, ex.Kind);
    }

    [Fact]
    public async Task Delegator_WithAGivenChildKey_BindsToIt()
    {
        var delegator = new PassportDelegator(_h.F.Issuer, new PassportAuthorizer(_h.F.Verifier,
            new PassportAuthorizerOptions { Policy = new VerificationPolicy(PassportTestContext.IssuerUrl, PassportTestContext.BobAudience) }, timeProvider: _h.F.Time));
        using var daveKey = PassportHolderKey.Generate();
        var bob = PassportContext.From(_h.Bob, PassportTestContext.BobAudience).WithHolderKey(_h.BobKey);
        var dave = await delegator.DelegateAsync(bob, new DelegationRequest { AgentId = "agent:dave", AgentModel = "m", Audience = PassportTestContext.FlightsAudience, ToolScope = ["flights:book"] }, daveKey);
        Assert.Same(daveKey, dave.HolderKey);
        Assert.Equal(daveKey.Thumbprint, PassportReader.DecodeUnverified(dave.Token).HolderThumbprint);
    }

    [Fact]
    public async Task UnboundParent_NeedsNoProof()
    {
        var alice = _h.F.IssueAlice();
        var child = await _h.F.DelegateAsync(alice, "agent:bob", ["flights:*"], PassportTestContext.BobAudience);
        Assert.Null(child.Passport.HolderThumbprint);
    }

    [Fact]
    public void DelegationRequest_ToString_RedactsTheProof()
    {
        string proof = DelegateProof(_h.BobKey);
        Assert.DoesNotContain(proof, ForThief(proof).ToString(), StringComparison.Ordinal);
    }

    public void Dispose() => _h.Dispose();
}
