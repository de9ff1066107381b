using AgentPassport.Tests.Support;

namespace AgentPassport.Tests.Audit;

public sealed class PassportAuditEventsTests
{
    [Fact]
    public void A_mint_event_carries_the_minted_constraints_and_no_token()
    {
        using var f = new PassportTestContext();
        var issued = f.Issuer.Issue(new RootPassportRequest
        {
            Identity = PassportTestContext.Identity(),
            AgentId = "agent:alice",
            AgentModel = "model-a",
            Audience = PassportTestContext.AliceAudience,
            ToolScope = ["flights:book"],
            Constraints = PassportConstraints.Empty.With("flights:book", "amount", PassportConstraint.Range(null, 500m)),
        });

        var minted = PassportAuditEvents.Minted(issued.Passport, f.Time.GetUtcNow());

        Assert.Equal(issued.Passport.Constraints.ToJson(), minted.Constraints);
        Assert.Equal((PassportAuditEventKind.Minted, "agent:alice", issued.Passport.TokenId), (minted.Kind, minted.AgentId, minted.TokenId));
        Assert.DoesNotContain(issued.Token, minted.ToString(), StringComparison.Ordinal);
    }
}
