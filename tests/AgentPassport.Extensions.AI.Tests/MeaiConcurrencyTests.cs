using System.Collections.Concurrent;
using AgentPassport.Extensions.AI.Tests.Support;
using AgentPassport.TestSupport.Adapters;
using Microsoft.Extensions.AI;

namespace AgentPassport.Extensions.AI.Tests;

/// <summary>One shared Passport chat client, many concurrent requests each carrying its own agent's Passport.</summary>
public sealed class MeaiConcurrencyTests : IDisposable
{
    private readonly PassportFixture _f = new();

    public void Dispose() => _f.Dispose();

    [Fact]
    public async Task Concurrent_requests_never_see_each_others_Passport()
    {
        var (_, bob, carol) = await _f.AliceBobCarolAsync();
        var ranFor = new ConcurrentBag<string>();
        var hotel = AIFunctionFactory.Create((string item) => { ranFor.Add(item); return "booked"; }, new AIFunctionFactoryOptions { Name = "hotels_book" })
            .WithPassportScope("hotels:book");
        using var client = new ChatClientBuilder(new CallOnceModel("hotels_book"))
            .UseAgentPassport(_f.Authorizer, context: null, c => c.AdvertiseAllowedToolsOnly = false)
            .UseFunctionInvocation()
            .Build();

        // Bob may book hotels, Carol may not; 200 requests interleaved on one client.
        var requests = Enumerable.Range(0, 200).Select(i => (Agent: i % 2 == 0 ? "bob" : "carol", Passport: i % 2 == 0 ? bob : carol)).ToList();
        await Parallel.ForEachAsync(requests, new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (r, ct) =>
            await client.GetResponseAsync(r.Agent, new ChatOptions { Tools = [hotel] }.WithPassport(r.Passport), ct));

        Assert.Equal(100, ranFor.Count);
        Assert.All(ranFor, item => Assert.Equal("bob", item));
        var decisions = _f.Decisions();
        Assert.Equal(100, decisions.Count(d => d == "agent:bob allowed hotels:book"));
        Assert.Equal(100, decisions.Count(d => d == "agent:carol denied hotels:book"));
        Assert.Equal(200, decisions.Count);
    }
}
