using AgentPassport.SemanticKernel.Tests.Support;
using Microsoft.SemanticKernel;

namespace AgentPassport.SemanticKernel.Tests;

/// <summary>
/// Holder binding in one process (spec v1.1 §11): each agent's kernel holds its key and the filter signs and checks a proof
/// per call; a thief holding a kernel's Passport and chain, but not its key, is refused, as a leaf and as a parent.
/// </summary>
public sealed class HolderBindingTests
{
    private static async Task<(TravelFixture F, PassportHolderKey AliceKey, Kernel Bob, Kernel Carol)> BoundChainAsync()
    {
        var f = new TravelFixture();
        var aliceKey = PassportHolderKey.Generate();
        var alice = await f.Delegation.CreateAgentKernelAsync(f.Template, TravelFixture.AliceRequest(), aliceKey);
        var bob = await f.Delegation.DelegateAsync(alice, new DelegationRequest { AgentId = "agent:bob", AgentModel = "m", Audience = TravelFixture.BobAudience, ToolScope = ["flights:*"] });
        var carol = await f.Delegation.DelegateAsync(bob, new DelegationRequest { AgentId = "agent:carol", AgentModel = "m", Audience = TravelFixture.CarolAudience, ToolScope = ["flights:book"] });
        return (f, aliceKey, bob, carol);
    }

    [Fact]
    public async Task EachAgent_IsBoundToItsOwnKey_AndItsCallsCarryItsProof()
    {
        var (f, aliceKey, bob, carol) = await BoundChainAsync();
        using var _ = f;
        using var __ = aliceKey;
        var carolContext = carol.GetPassport()!;
        Assert.NotNull(carolContext.HolderKey);
        Assert.NotEqual(bob.GetPassport()!.HolderKey!.Thumbprint, carolContext.HolderKey.Thumbprint);
        Assert.Equal(carolContext.HolderKey.Thumbprint, PassportReader.DecodeUnverified(carolContext.Token).HolderThumbprint);

        var result = await carol.InvokeAsync("flights", "book", new KernelArguments { ["item"] = "SFO-JFK" });

        Assert.Null(result.GetPassportDenial());
        Assert.Equal(1, f.Counters.Runs("flights.book"));
        var allowed = Assert.Single(f.Sink.Events, e => e.Kind == PassportAuditEventKind.Allowed);
        Assert.Equal(carolContext.HolderKey.Thumbprint, allowed.HolderThumbprint);
        Assert.NotNull(allowed.ProofId);
    }

    [Fact]
    public async Task StolenLeaf_WithoutTheKey_IsRefused_AndTheToolNeverRuns()
    {
        var (f, aliceKey, _, carol) = await BoundChainAsync();
        using var _ = f;
        using var __ = aliceKey;
        var ctx = carol.GetPassport()!;
        var thief = carol.Clone().UseAgentPassport(new PassportContext(ctx.Token, ctx.ChainTokens, ctx.Audience));

        var result = await thief.InvokeAsync("flights", "book", new KernelArguments { ["item"] = "x" });
        var auto = await thief.InvokePromptAsync("call flights.book", TravelFixture.AutoInvoke());

        Assert.Equal(0, f.Counters.Total);
        Assert.Equal(PassportErrorKind.ProofRequired, result.GetPassportDenial()!.Error.Kind);
        Assert.All(auto.GetPassportDenials(), d => Assert.Equal(PassportErrorKind.ProofRequired, d.Error.Kind));
    }

    [Fact]
    public async Task StolenLeaf_WithTheThiefsOwnKey_IsHolderMismatch()
    {
        var (f, aliceKey, _, carol) = await BoundChainAsync();
        using var _ = f;
        using var __ = aliceKey;
        using var thiefKey = PassportHolderKey.Generate();
        var ctx = carol.GetPassport()!;
        var thief = carol.Clone().UseAgentPassport(new PassportContext(ctx.Token, ctx.ChainTokens, ctx.Audience).WithHolderKey(thiefKey));

        var result = await thief.InvokeAsync("flights", "book", new KernelArguments { ["item"] = "x" });

        Assert.Equal(0, f.Counters.Total);
        Assert.Equal(PassportErrorKind.HolderMismatch, result.GetPassportDenial()!.Error.Kind);
    }

    [Fact]
    public async Task StolenParent_WithoutTheKey_CannotDelegate()
    {
        var (f, aliceKey, bob, _) = await BoundChainAsync();
        using var _ = f;
        using var __ = aliceKey;
        using var thiefKey = PassportHolderKey.Generate();
        var ctx = bob.GetPassport()!;
        var thief = bob.Clone().UseAgentPassport(new PassportContext(ctx.Token, ctx.ChainTokens, ctx.Audience));

        var ex = await Assert.ThrowsAsync<AgentPassportException>(() => f.Delegation.DelegateAsync(thief, new DelegationRequest
        {
            AgentId = "agent:mallory",
            AgentModel = "m",
            Audience = TravelFixture.CarolAudience,
            ToolScope = ["flights:book"],
            HolderThumbprint = thiefKey.Thumbprint,
        }));
        Assert.Equal(PassportErrorKind.ProofRequired, ex.Kind);
    }
}
