using AgentPassport.Tests.Support;

namespace AgentPassport.Tests.Revocation;

/// <summary>The shared enforcement path every adapter calls: revocation denies, is audited, and shows in the tree.</summary>
public sealed class RevocationEnforcementTests : IDisposable
{
    private readonly PassportTestContext _ctx = new();

    [Fact]
    public async Task RevokeBob_CarolsCallsDenied_AliceAllowed_DelegationRefused_TreeShowsWhy()
    {
        var store = new InMemoryRevocationStore(_ctx.Time);
        var sink = new InMemoryPassportAuditSink();
        var verifier = new PassportVerifier(_ctx.Keys, _ctx.Time, new VerifiedChainCache()) { Revocations = store };
        var authorizer = new PassportAuthorizer(verifier, new PassportAuthorizerOptions { Policy = PassportTestContext.Policy(PassportTestContext.AliceAudience) }, sink, _ctx.Time);
        var delegator = new PassportDelegator(_ctx.Issuer, authorizer);
        var alice = await delegator.IssueRootAsync(new RootPassportRequest
        {
            Identity = PassportTestContext.Identity(),
            AgentId = "agent:alice",
            AgentModel = "m",
            Audience = PassportTestContext.AliceAudience,
            ToolScope = ["flights:*"],
        });
        var bob = await delegator.DelegateAsync(alice, new DelegationRequest { AgentId = "agent:bob", AgentModel = "m", Audience = PassportTestContext.AliceAudience, ToolScope = ["flights:*"] });
        var carol = await delegator.DelegateAsync(bob, new DelegationRequest { AgentId = "agent:carol", AgentModel = "m", Audience = PassportTestContext.AliceAudience, ToolScope = ["flights:book"] });
        Assert.True((await authorizer.AuthorizeAsync(carol, "book", "flights:book")).IsAllowed);

        var revoker = new PassportRevoker(store, sink, _ctx.Time);
        await revoker.RevokeAsync(PassportReader.DecodeUnverified(bob.Token));

        var denied = await authorizer.AuthorizeAsync(carol, "book", "flights:book");
        Assert.False(denied.IsAllowed);
        Assert.Equal(PassportErrorKind.Revoked, denied.Error!.Kind);
        Assert.True((await authorizer.AuthorizeAsync(alice, "search", "flights:search")).IsAllowed);
        var refused = await Assert.ThrowsAsync<AgentPassportException>(async () =>
            await delegator.DelegateAsync(carol, new DelegationRequest { AgentId = "agent:dave", AgentModel = "m", Audience = PassportTestContext.AliceAudience, ToolScope = ["flights:book"] }));
        Assert.Equal(PassportErrorKind.Revoked, refused.Kind);

        var revokedEvent = Assert.Single(sink.Events, e => e.Kind == PassportAuditEventKind.Revoked);
        Assert.Equal(RevocationEntryKind.TokenId, revokedEvent.RevocationKind);
        Assert.Equal("agent:bob", revokedEvent.AgentId);

        var tree = DelegationTree.Build(sink.Events);
        var aliceNode = Assert.Single(Assert.Single(tree.Principals).Agents);
        var bobNode = Assert.Single(aliceNode.Children);
        var carolNode = Assert.Single(bobNode.Children);
        Assert.False(aliceNode.IsRevoked);
        Assert.True(bobNode.IsRevoked);
        Assert.False(bobNode.RevokedByAncestor);
        Assert.True(carolNode.IsRevoked);
        Assert.True(carolNode.RevokedByAncestor);
        var text = tree.ToText();
        Assert.Contains("agent:bob [flights:*]", text);
        Assert.Contains("[REVOKED: jti]", text);
        Assert.Contains("[REVOKED via ancestor]", text);
        Assert.Contains("DENIED flights:book (book): Revoked AP0040", text);
        Assert.Contains("class n1,n2 revoked", tree.ToMermaid());
        Assert.DoesNotContain(sink.Events, e => e.Kind == PassportAuditEventKind.Revoked && tree.Unattributed.Contains(e));
    }

    public void Dispose() => _ctx.Dispose();
}
