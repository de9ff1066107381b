namespace AgentPassport.Tests.Holder;

/// <summary>The shape of holder binding end to end: bound chain, in-process proof, stolen leaf refused.</summary>
public sealed class HolderBindingSmokeTests
{
    [Fact]
    public async Task InProcess_BoundLeafWithItsKey_IsAllowed_AndTheAuditNamesTheProof()
    {
        using var h = new HolderFixture();
        var decision = await h.Authorizer.AuthorizeAsync(h.CarolInProcess, "flights.book", "flights:book");
        Assert.True(decision.IsAllowed, decision.Error?.ToString());
        var audit = Assert.Single(h.Audit.Events);
        Assert.Equal(h.CarolKey.Thumbprint, audit.HolderThumbprint);
        Assert.NotNull(audit.ProofId);
        Assert.Equal(h.CarolKey.Thumbprint, h.Carol.Passport.HolderThumbprint);
    }

    [Fact]
    public async Task StolenLeaf_WithoutTheKey_IsRefusedProofRequired()
    {
        using var h = new HolderFixture();
        var decision = await h.Authorizer.AuthorizeAsync(h.CarolStolen, "flights.book", "flights:book");
        Assert.Equal(PassportErrorKind.ProofRequired, decision.Error!.Kind);
        Assert.Equal("AP0042", decision.Error.Code);
    }
}
