using System.Text.Json;
using AgentPassport.Samples.Tests.Support;

namespace AgentPassport.Samples.Tests;

public sealed class MultiAgentChainSampleTests
{
    [Fact]
    public async Task MultiAgentChain_delegates_narrower_walks_the_chain_and_prints_the_tree()
    {
        var run = await SampleRunner.RunAsync("MultiAgentChain");

        run.AssertCompleted();
        string minted = run.SectionText("3. Alice gets a root Passport; she delegates to Bob, Bob to Carol (each narrower)");
        Assert.Contains("alice:         [\"flights:*\", \"hotels:*\", \"calendar:*\"] aud https://service-a.example.com/ depth 0", minted);
        Assert.Contains("bob:           [\"flights:*\"] aud https://service-b.example.com/ depth 1", minted);
        Assert.Contains("carol:         [\"flights:book\"] aud https://flights-mcp.example.com/ depth 2", minted);
        Assert.Contains("result:        ScopeAttenuation (AP0020)", run.SectionText("4. Carol tries to hand Dave more than she has: refused at minting"));

        Assert.Contains("carol limits:  flights:book amount <= 500, dest in JFK, LGA", minted);
        string booking = run.SectionText("5. Carol's model books: 900 (over her limit), then BOS (not her airport), then 450 to JFK");
        Assert.Contains("JFK 900:       ConstraintViolation (AP0047): the body never ran", booking);
        Assert.Contains("argument 'amount' violates the 'max' constraint of capability 'flights:book'", booking);
        Assert.Contains("BOS 450:       ConstraintViolation (AP0047): the body never ran", booking);
        Assert.Contains("argument 'dest' violates the 'in' constraint of capability 'flights:book'", booking);
        Assert.Contains("JFK 450:       booked", booking);
        Assert.Contains("flights service verified 3 signatures", booking);
        using var result = JsonDocument.Parse(booking[booking.IndexOf('{')..(booking.LastIndexOf('}') + 1)]);
        var root = result.RootElement;
        Assert.Equal("flights.book", root.GetProperty("tool").GetString());
        Assert.Equal("user-alice-pairwise", root.GetProperty("principal_sub").GetString());
        Assert.Equal(["agent:carol", "agent:bob", "agent:alice"], root.GetProperty("actor_chain").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal("flights:book", root.GetProperty("scope_used").GetString());
        Assert.Equal(2, root.GetProperty("chain_depth").GetInt32());
        Assert.Equal("BOOKED SFO -> JFK on 2026-06-12 for 450", root.GetProperty("result").GetProperty("reservation").GetString());

        Assert.Contains("result:        ScopeViolation (AP0013)", run.SectionText("6. Carol tries the hotels tool: denied by the kernel filter, the function never runs"));

        string chain = run.SectionText("7. The verified chain, root first (as the flights service saw it)");
        Assert.Contains("\n└── agent:alice (claude-opus-4-7)", chain);
        Assert.Contains("\n    └── agent:bob (claude-opus-4-7)", chain);
        Assert.Contains("\n        └── agent:carol (claude-opus-4-7)", chain);
        Assert.DoesNotContain("|-", chain);
        Assert.Matches(@"exp:         \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", chain);

        string tree = run.SectionText("8. The delegation tree read back from the verified audit log (text)");
        Assert.Matches(@"verified:\s+intact: \d+ records through seq \d+, closed by its writer", tree);
        Assert.Contains("principal user-alice-pairwise (IAL 2)", tree);
        Assert.Matches(@"└── agent:alice \[flights:\*, hotels:\*, calendar:\*\]", tree);
        Assert.Matches(@"\n    └── agent:bob \[flights:\*\]", tree);
        Assert.Matches(@"\n        └── agent:carol \[flights:book\]", tree);
        Assert.Contains("DENIED delegate to agent:dave: ScopeAttenuation AP0020", tree);
        Assert.Contains("├── DENIED flights:book (flights.book): ConstraintViolation AP0047", tree);
        Assert.Contains("ALLOWED flights:book (flights.book)", tree);
        Assert.Contains("DENIED hotels:book (hotels.book): ScopeViolation AP0013", tree);

        string mermaid = run.SectionText("9. The same tree as Mermaid (paste into any Mermaid viewer)");
        Assert.StartsWith("```mermaid\nflowchart TD", mermaid);
        Assert.Contains("n1 --> n2", mermaid);
        Assert.Contains("class d0,d1,d2,d4 denied", mermaid);
    }
}
