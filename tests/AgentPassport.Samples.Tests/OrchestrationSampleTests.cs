using AgentPassport.Samples.Tests.Support;

namespace AgentPassport.Samples.Tests;

public sealed class OrchestrationSampleTests
{
    [Fact]
    public async Task Orchestration_runs_sequential_handoff_and_group_chat_with_each_agent_bound_to_its_own_passport()
    {
        var run = await SampleRunner.RunAsync("Orchestration");

        run.AssertCompleted();
        string passports = run.SectionText("1. The person signs in; the planner's root Passport is attenuated for two specialists");
        Assert.Contains("planner:       [\"flights:*\", \"hotels:*\"]", passports);
        Assert.Contains("flights-agent: [\"flights:search\", \"flights:book\"]", passports);
        Assert.Contains("hotels-agent:  [\"hotels:search\"]", passports);

        string sequential = run.SectionText("2. Sequential: planner -> flights-agent -> hotels-agent");
        Assert.Matches(@"planner:\s+ALLOWED\s+flights_search \(needs flights:search\)", sequential);
        Assert.Matches(@"flights-agent:\s+ALLOWED\s+flights_book \(needs flights:book\)", sequential);
        Assert.Matches(@"hotels-agent:\s+DENIED  ScopeViolation AP0013\s+hotels_book \(needs hotels:book\)", sequential);
        Assert.Contains("flights-agent: BOOKED flight SFO -> JFK, 2026-06-12", sequential);
        Assert.Contains("hotels-agent:  tool result: DENIED by Agent Passport: 'hotels_book' was not run", sequential);

        string handoff = run.SectionText("3. Handoff: the planner hands the booking to the flights agent");
        Assert.Matches(@"planner:\s+calls handoff_to_\w+", handoff);
        Assert.Matches(@"flights-agent:\s+ALLOWED\s+flights_book", handoff);

        string group = run.SectionText("4. Group chat (round robin, 3 turns): each agent tries a hotel booking");
        Assert.Matches(@"planner:\s+ALLOWED\s+hotels_book", group);
        Assert.Matches(@"flights-agent:\s+DENIED  ScopeViolation AP0013\s+hotels_book", group);
        Assert.Matches(@"hotels-agent:\s+ALLOWED\s+hotels_search", group);

        string limits = run.SectionText("5. Carol, the flights agent's sub-agent, may book flights only for amount <= 500 to JFK or LGA");
        Assert.Contains("JFK 900:       DENIED ConstraintViolation AP0047: argument 'amount' breaks its 'max' limit", limits);
        Assert.Contains("BOS 450:       DENIED ConstraintViolation AP0047: argument 'dest' breaks its 'in' limit", limits);
        Assert.Contains("JFK 450:       BOOKED SFO -> JFK for 450", limits);


        string tree = run.SectionText("6. The audit tree, read back from the verified audit log");
        Assert.Matches(@"verified:\s+intact: \d+ records through seq \d+, closed by its writer", tree);
        Assert.Contains("└── planner [flights:*, hotels:*]", tree);
        Assert.Contains("    ├── flights-agent [flights:search, flights:book]", tree);
        Assert.Contains("    └── hotels-agent [hotels:search]", tree);
        Assert.Contains("│   └── carol [flights:book]", tree);
        Assert.Contains("│       ├── DENIED flights:book (flights_book): ConstraintViolation AP0047", tree);
        Assert.Contains("│       └── ALLOWED flights:book (flights_book)", tree);
        Assert.Contains("tool bodies ran: 6", tree);   // the two refused bookings never ran
    }
}
