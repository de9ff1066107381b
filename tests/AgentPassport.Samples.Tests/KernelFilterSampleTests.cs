using AgentPassport.Samples.Tests.Support;

namespace AgentPassport.Samples.Tests;

public sealed class KernelFilterSampleTests
{
    [Fact]
    public async Task KernelFilter_allows_covered_calls_denies_the_rest_and_never_runs_denied_bodies()
    {
        var run = await SampleRunner.RunAsync("KernelFilter");

        run.AssertCompleted();
        string calls = run.SectionText("3. The model chooses tools: allowed and denied calls");
        Assert.Contains("travel-bot:    \"call flights.book\" -> ALLOWED", calls);
        Assert.Contains("model saw:   BOOKED SFO -> JFK", calls);
        Assert.Contains("travel-bot:    \"call payments.charge\" -> ALLOWED", calls);
        Assert.Contains("search-helper: \"call flights.search\" -> ALLOWED", calls);
        Assert.Contains("search-helper: \"call flights.book\" -> DENIED  ScopeViolation (AP0013)", calls);
        Assert.Contains("search-helper: \"call payments.charge\" -> DENIED  ScopeViolation (AP0013)", calls);
        Assert.Contains("bodies ran:    flights.search 1, flights.book 1, payments.charge 1", calls);

        string direct = run.SectionText("4. Direct calls are checked too, and a kernel without a Passport is denied");
        Assert.Contains("kernel.InvokeAsync(payments.charge) -> ScopeViolation", direct);
        Assert.Contains("no passport:   kernel.InvokeAsync(flights.search) -> NoPassport", direct);
        Assert.Contains("bodies ran:    flights.search 1, flights.book 1, payments.charge 1", direct);

        string offered = run.SectionText("5. Offer each agent only the tools its Passport covers");
        Assert.Contains("search-helper: flights.search\n", offered);
        Assert.Contains("offered:       flights_search\n", offered);

        string tree = run.SectionText("6. The audit tree");
        Assert.Contains("principal user-alice-pairwise (IAL 2)", tree);
        Assert.Matches(@"└── agent:travel-bot \[flights:\*, payments:charge\]", tree);
        Assert.Matches(@"    └── agent:search-helper \[flights:search\]", tree);
        Assert.Contains("DENIED flights:book (flights.book): ScopeViolation AP0013", tree);
        Assert.Contains("DENIED flights:search (flights.search): NoPassport AP0016 [claims unverified] by unknown agent", tree);
    }
}
