using AgentPassport.SemanticKernel.Tests.Support;
using Microsoft.SemanticKernel;

namespace AgentPassport.SemanticKernel.Tests;

public sealed class DelegationServiceTests
{
    [Fact]
    public async Task AliceBobCarol_EachKernelCarriesItsOwnAttenuatedPassport()
    {
        using var f = new TravelFixture();

        var (alice, bob, carol) = await f.AliceBobCarolAsync();

        var a = PassportReader.DecodeUnverified(alice.GetPassport()!.Token);
        var b = PassportReader.DecodeUnverified(bob.GetPassport()!.Token);
        var c = PassportReader.DecodeUnverified(carol.GetPassport()!.Token);
        Assert.Equal(["agent:alice", "agent:bob", "agent:carol"], new[] { a.AgentId, b.AgentId, c.AgentId });
        Assert.Equal(["flights:book"], c.ToolScope.ToStrings());
        Assert.Equal(b.TokenId, c.ParentJti);
        Assert.Equal(a.TokenId, b.ParentJti);
        Assert.Equal(["agent:carol", "agent:bob", "agent:alice"], c.Actor.OutermostFirst());
        Assert.Equal(TravelFixture.CarolAudience, carol.GetPassport()!.Audience);
        Assert.Equal([alice.GetPassport()!.Token, bob.GetPassport()!.Token], carol.GetPassport()!.ChainTokens);
        Assert.Equal(f.Time.GetUtcNow() + TimeSpan.FromMinutes(2), c.ExpiresAt);

        // The child kernels are clones: same plugins and filter, their own Data.
        Assert.NotSame(bob, carol);
        Assert.Same(alice.GetPassportFilter(), carol.GetPassportFilter());
        Assert.Equal(alice.Plugins.Count, carol.Plugins.Count);
        Assert.Null(f.Template.GetPassport());

        var verified = await f.Authorizer.ValidateAsync(carol.GetPassport()!);
        Assert.True(verified.Succeeded);
        Assert.Equal(3, f.Sink.Events.Count(e => e.Kind == PassportAuditEventKind.Minted));
    }

    [Fact]
    public async Task Delegate_WideningScope_IsRefusedWithScopeAttenuation_AndAudited()
    {
        using var f = new TravelFixture();
        var (_, _, carol) = await f.AliceBobCarolAsync();

        var ex = await Assert.ThrowsAsync<AgentPassportException>(() => f.Delegation.DelegateAsync(carol, new DelegationRequest
        {
            AgentId = "agent:dave",
            AgentModel = "model-d",
            Audience = "https://dave.example.com/",
            ToolScope = ["payments:charge"],
        }));

        Assert.Equal(PassportErrorKind.ScopeAttenuation, ex.Kind);
        var denied = Assert.Single(f.Sink.Events, e => e.Kind == PassportAuditEventKind.Denied);
        Assert.Equal("delegate to agent:dave", denied.ToolName);
        Assert.Equal("agent:carol", denied.AgentId);
        Assert.True(denied.ClaimsVerified);
        Assert.Equal(PassportErrorKind.ScopeAttenuation, denied.ErrorKind);
        Assert.Equal(3, f.Sink.Events.Count(e => e.Kind == PassportAuditEventKind.Minted));
    }

    [Fact]
    public async Task Delegator_WildcardParent_IsRefusedWithWildcardScopeNotAllowed_LikeTheCli()
    {
        using var f = new TravelFixture();
        var root = await f.Delegator.IssueRootAsync(TravelFixture.AliceRequest() with { ToolScope = ["*"] });

        var ex = await Assert.ThrowsAsync<AgentPassportException>(() => f.Delegator.DelegateAsync(root, new DelegationRequest
        {
            AgentId = "agent:bob",
            AgentModel = "model-b",
            Audience = TravelFixture.BobAudience,
            ToolScope = ["flights:book"],
        }).AsTask());

        Assert.Equal(PassportErrorKind.WildcardScopeNotAllowed, ex.Kind);
        Assert.Equal(PassportErrorKind.WildcardScopeNotAllowed, Assert.Single(f.Sink.Events, e => e.Kind == PassportAuditEventKind.Denied).ErrorKind);
    }

    [Fact]
    public async Task Delegate_FromAnExpiredParent_IsRefusedWithExpired()
    {
        using var f = new TravelFixture();
        var (_, bob, _) = await f.AliceBobCarolAsync();
        f.Time.Advance(TimeSpan.FromMinutes(6));

        var ex = await Assert.ThrowsAsync<AgentPassportException>(() => f.Delegation.DelegateAsync(bob, new DelegationRequest
        {
            AgentId = "agent:erin",
            AgentModel = "model-e",
            Audience = "https://erin.example.com/",
            ToolScope = ["flights:book"],
        }));

        Assert.Equal(PassportErrorKind.Expired, ex.Kind);
        Assert.Contains(f.Sink.Events, e => e.Kind == PassportAuditEventKind.Denied && e.ErrorKind == PassportErrorKind.Expired && !e.ClaimsVerified);
    }

    [Fact]
    public async Task Delegate_FromAKernelWithoutPassport_IsATypedError()
    {
        using var f = new TravelFixture();

        var ex = await Assert.ThrowsAsync<AgentPassportException>(() => f.Delegation.DelegateAsync(f.Template, new DelegationRequest
        {
            AgentId = "agent:x",
            AgentModel = "m",
            Audience = "https://x.example.com/",
        }));

        Assert.Equal(PassportErrorKind.NoPassport, ex.Kind);
    }

    [Fact]
    public async Task Delegate_FromAKernelWithoutTheFilter_IsMisuse()
    {
        using var f = new TravelFixture();

        await Assert.ThrowsAsync<InvalidOperationException>(() => f.Delegation.CreateAgentKernelAsync(new Kernel(), TravelFixture.AliceRequest()));
    }
}
