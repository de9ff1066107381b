using AgentPassport.Tests.Support;

namespace AgentPassport.Tests.Audit;

/// <summary>The delegation tree built from the audit trail: who delegated to whom, and every decision under the agent it was made for.</summary>
public sealed class DelegationTreeTests
{
    // The decisions the adapters' tests make through each invocation path (tests/AgentPassport.SemanticKernel.Tests
    // DecisionAttributionTests), made here directly through the one decision point.
    private static async Task<AuditedTravelChain> RunScenarioAsync()
    {
        var f = new AuditedTravelChain();
        var (alice, bob, carol) = await f.AliceBobCarolAsync();
        await f.Authorizer.AuthorizeAsync(carol, "flights.book", "flights:book");
        await f.Authorizer.AuthorizeAsync(carol, "hotels.book", "hotels:book");
        await f.Authorizer.AuthorizeAsync(carol, "payments.charge", "payments:charge");
        await f.Authorizer.AuthorizeAsync(bob, "hotels.book", "hotels:book");
        await f.Authorizer.AuthorizeAsync(alice, "payments.charge", "payments:charge");
        return f;
    }

    [Fact]
    public async Task Text_ShowsPrincipalWithIal_ThenAliceBobCarol_WithScopesAudienceExpiryAndDecisions()
    {
        using var f = await RunScenarioAsync();

        var text = DelegationTree.Build(f.Sink.Events).ToText();

        Assert.Equal(
            """
            principal user-alice-pairwise (IAL 2)
            └── agent:alice [flights:*, hotels:*, payments:charge] aud=https://alice.agents.example.com/ exp=2026-06-01T12:15:00Z purpose="plan a trip"
                ├── ALLOWED payments:charge (payments.charge)
                └── agent:bob [flights:*, hotels:book] aud=https://bob.agents.example.com/ exp=2026-06-01T12:05:00Z purpose="book travel"
                    ├── ALLOWED hotels:book (hotels.book)
                    └── agent:carol [flights:book] aud=https://flights-agent.example.com/ exp=2026-06-01T12:02:00Z purpose="book SFO-JFK"
                        ├── ALLOWED flights:book (flights.book)
                        ├── DENIED hotels:book (hotels.book): ScopeViolation AP0013
                        └── DENIED payments:charge (payments.charge): ScopeViolation AP0013

            """.ReplaceLineEndings("\n"),
            text);
    }

    [Fact]
    public async Task Mermaid_HasANodePerPrincipalAndAgent_AndAClassedNodePerDecision()
    {
        using var f = await RunScenarioAsync();

        var mermaid = DelegationTree.Build(f.Sink.Events).ToMermaid();

        Assert.StartsWith("flowchart TD\n", mermaid, StringComparison.Ordinal);
        Assert.Contains("  p0[\"principal user-alice-pairwise<br/>IAL 2\"]\n", mermaid, StringComparison.Ordinal);
        Assert.Contains("  n0[\"agent:alice<br/>scopes: flights:*, hotels:*, payments:charge<br/>aud: https://alice.agents.example.com/<br/>exp: 2026-06-01T12:15:00Z<br/>purpose: plan a trip\"]\n", mermaid, StringComparison.Ordinal);
        Assert.Contains("  p0 --> n0\n", mermaid, StringComparison.Ordinal);
        Assert.Contains("  n0 --> n1\n", mermaid, StringComparison.Ordinal);
        Assert.Contains("  n1 --> n2\n", mermaid, StringComparison.Ordinal);
        Assert.Contains("  n2[\"agent:carol<br/>scopes: flights:book<br/>", mermaid, StringComparison.Ordinal);
        Assert.Contains("  d2([\"ALLOWED flights:book (flights.book)\"])\n  n2 -.-> d2\n", mermaid, StringComparison.Ordinal);
        Assert.Contains("  d3([\"DENIED hotels:book (hotels.book): ScopeViolation AP0013\"])\n  n2 -.-> d3\n", mermaid, StringComparison.Ordinal);
        Assert.Contains("  class d0,d1,d2 allowed\n", mermaid, StringComparison.Ordinal);
        Assert.Contains("  class d3,d4 denied\n", mermaid, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DecisionsWithoutAMintedPassport_AreListedAsUnattributed()
    {
        using var f = new AuditedTravelChain();
        await f.Authorizer.AuthorizeAsync(null, "flights.book", "flights:book");

        var tree = DelegationTree.Build(f.Sink.Events);

        Assert.Empty(tree.Principals);
        Assert.Single(tree.Unattributed);
        Assert.Equal("unattributed decisions\n└── DENIED flights:book (flights.book): NoPassport AP0016 [claims unverified] by unknown agent\n", tree.ToText());
    }
}
