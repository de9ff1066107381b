using System.Text.Json;
using System.Text.Json.Nodes;
using AgentPassport.Tests.Support;

namespace AgentPassport.Tests.Issuance;

/// <summary>
/// Issue 13 items 5, 7 and 10 on the issuing side: one issuer per chain, no token over the size cap, and a parent's
/// whole <c>act</c> (members other than sub/act included) nested unchanged.
/// </summary>
public sealed class IssuerChainContinuityTests : IDisposable
{
    private readonly PassportTestContext _ctx = new();

    [Fact]
    public async Task Delegate_FromAnotherIssuersParent_IsRefused()
    {
        var alice = await _ctx.VerifyAsync(_ctx.IssueAlice());
        var otherIssuer = new PassportIssuer(new PassportIssuerOptions { IssuerUrl = "https://other-issuer.test", KeyStore = _ctx.Keys, TimeProvider = _ctx.Time });

        var ex = Assert.Throws<AgentPassportException>(() => otherIssuer.Delegate(alice, Request()));

        Assert.Equal(PassportErrorKind.IssuanceRefused, ex.Kind);
        Assert.Contains("one issuer", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Issue_OverTheSizeCap_IsRefused_NotMinted()
    {
        var request = new RootPassportRequest
        {
            Identity = PassportTestContext.Identity(),
            AgentId = "agent:alice",
            AgentModel = "model-a",
            Audience = PassportTestContext.AliceAudience,
            ToolScope = ["flights:*"],
            TaskPurpose = new string('p', PassportLimits.MaxTokenBytes),
        };

        var ex = Assert.Throws<AgentPassportException>(() => _ctx.Issuer.Issue(request));

        Assert.Equal(PassportErrorKind.IssuanceRefused, ex.Kind);
    }

    [Fact]
    public async Task Delegate_OverTheSizeCap_IsRefused()
    {
        var alice = await _ctx.VerifyAsync(_ctx.IssueAlice());

        var ex = Assert.Throws<AgentPassportException>(() => _ctx.Issuer.Delegate(alice, Request() with { TaskPurpose = new string('p', PassportLimits.MaxTokenBytes) }));

        Assert.Equal(PassportErrorKind.IssuanceRefused, ex.Kind);
    }

    [Fact]
    public async Task Delegate_NestsTheParentsWholeActUnchanged()
    {
        var claims = TokenForge.RootClaims(audience: PassportTestContext.AliceAudience);
        claims["act"]!["iss"] = "https://agents.example";
        claims["act"]!["x-meta"] = new JsonObject { ["n"] = 1, ["list"] = new JsonArray("a", "b") };
        string root = TokenForge.Sign(claims, _ctx.Keys.CurrentSigningKey);
        var verified = await _ctx.Verifier.VerifyAsync(root, PassportTestContext.Policy(PassportTestContext.AliceAudience));

        var child = _ctx.Issuer.Delegate(verified, Request());
        var nested = TokenForge.Payload(child.Token)["act"]!["act"]!;
        var childVerified = await _ctx.Verifier.ValidateAsync(child.Token, PassportTestContext.Policy(PassportTestContext.BobAudience), child.ChainTokens);

        Assert.True(JsonNode.DeepEquals(claims["act"], nested), nested.ToJsonString());
        Assert.True(childVerified.Succeeded, childVerified.Error?.ToString());
        Assert.Equal("https://agents.example", childVerified.Passport.Passport.Actor.Parent!.OtherMembers["iss"].GetString());
    }

    public void Dispose() => _ctx.Dispose();

    private static DelegationRequest Request() => new()
    {
        AgentId = "agent:bob",
        AgentModel = "model-b",
        Audience = PassportTestContext.BobAudience,
        ToolScope = ["flights:search"],
    };
}
