using AgentPassport.TestSupport.Adapters;
using Microsoft.Extensions.AI;

namespace AgentPassport.Extensions.AI.Tests;

/// <summary>Holder binding at the AIFunction guard in one process: the context's key signs each call; without it a stolen Passport runs nothing.</summary>
public sealed class HolderBindingTests : IDisposable
{
    private readonly PassportFixture _f = new();
    private readonly PassportHolderKey _carolKey = PassportHolderKey.Generate();

    public void Dispose()
    {
        _carolKey.Dispose();
        _f.Dispose();
    }

    private async Task<PassportContext> BoundCarolAsync()
    {
        using var aliceKey = PassportHolderKey.Generate();
        var alice = await _f.Delegator.IssueRootAsync(new RootPassportRequest
        {
            Identity = PassportFixture.Identity(),
            AgentId = "agent:alice",
            AgentModel = "model-a",
            Audience = PassportFixture.ToolsAudience,
            ToolScope = ["flights:*"],
        }, aliceKey);
        return await _f.Delegator.DelegateAsync(alice, new DelegationRequest { AgentId = "agent:carol", AgentModel = "m", Audience = PassportFixture.ToolsAudience, ToolScope = ["flights:book"] }, _carolKey);
    }

    [Fact]
    public async Task BoundContext_WithItsKey_RunsTheTool_AndAStolenCopyDoesNot()
    {
        var carol = await BoundCarolAsync();
        int runs = 0;
        var book = AIFunctionFactory.Create([PassportScope("flights:book")] (string item) => $"booked {item} {++runs}", "flights_book");

        var mine = (AIFunction)new[] { book }.GuardWithPassport(_f.Authorizer, carol)[0];
        var stolen = (AIFunction)new[] { book }.GuardWithPassport(_f.Authorizer, new PassportContext(carol.Token, carol.ChainTokens, carol.Audience))[0];
        using var thiefKey = PassportHolderKey.Generate();
        var forged = (AIFunction)new[] { book }.GuardWithPassport(_f.Authorizer, new PassportContext(carol.Token, carol.ChainTokens, carol.Audience).WithHolderKey(thiefKey))[0];

        Assert.IsNotType<PassportDenial>(await mine.InvokeAsync(new AIFunctionArguments { ["item"] = "x" }));
        Assert.Equal(PassportErrorKind.ProofRequired, Assert.IsType<PassportDenial>(await stolen.InvokeAsync(new AIFunctionArguments { ["item"] = "x" })).Error.Kind);
        Assert.Equal(PassportErrorKind.HolderMismatch, Assert.IsType<PassportDenial>(await forged.InvokeAsync(new AIFunctionArguments { ["item"] = "x" })).Error.Kind);
        Assert.Equal(1, runs);
        Assert.Equal(_carolKey.Thumbprint, Assert.Single(_f.Sink.Events, e => e.Kind == PassportAuditEventKind.Allowed).HolderThumbprint);
    }
}
