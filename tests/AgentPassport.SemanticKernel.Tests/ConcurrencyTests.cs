using AgentPassport.SemanticKernel.Tests.Support;
using Microsoft.Extensions.AI;
using Microsoft.SemanticKernel;

namespace AgentPassport.SemanticKernel.Tests;

public sealed class ConcurrencyTests
{
    [Fact]
    public async Task ManyConcurrentCalls_AcrossAgentKernels_NeverSeeAnotherAgentsPassport()
    {
        // Arrange: Alice delegates to ten workers; even ones may book flights, odd ones hotels.
        using var f = new TravelFixture();
        var alice = await f.Delegation.CreateAgentKernelAsync(f.Template, TravelFixture.AliceRequest());
        var workers = new List<(Kernel Kernel, string Id, string Scope)>();
        for (int i = 0; i < 10; i++)
        {
            var scope = i % 2 == 0 ? "flights:book" : "hotels:book";
            var id = $"agent:worker{i}";
            var kernel = await f.Delegation.DelegateAsync(alice, new DelegationRequest
            {
                AgentId = id,
                AgentModel = "model-w",
                Audience = $"https://worker{i}.example.com/",
                ToolScope = [scope],
            });
            workers.Add((kernel, id, scope));
        }

        // Act: 600 calls at once, over three paths, each worker asking for both tools.
        var calls = Enumerable.Range(0, 600).Select(n =>
        {
            var (kernel, id, scope) = workers[n % workers.Count];
            var tool = (n / workers.Count) % 2 == 0 ? "flights.book" : "hotels.book";
            var path = (n % 3) switch
            {
                0 => InvocationPath.DirectKernelInvoke,
                1 => InvocationPath.SkAutoInvocation,
                _ => InvocationPath.PluginAsAIFunctions,
            };
            return Task.Run(async () =>
            {
                await PathRunner.RunAsync(path, f, kernel, tool);
                return (Id: id, Tool: tool, Allowed: tool.Replace('.', ':') == scope);
            });
        }).ToList();
        var expected = await Task.WhenAll(calls);

        // Assert: every body ran on the kernel of an agent allowed to run it, exactly as often as allowed.
        var ran = f.Counters.Log.ToList();
        Assert.All(ran, r => Assert.Equal(r.Tool.Replace('.', ':'), workers.Single(w => w.Id == r.AgentId).Scope));
        foreach (var group in expected.GroupBy(e => (e.Id, e.Tool)))
        {
            Assert.Equal(group.Count(e => e.Allowed), ran.Count(r => r.AgentId == group.Key.Id && r.Tool == group.Key.Tool));
        }

        var decisions = f.Sink.Events.Where(e => e.Kind != PassportAuditEventKind.Minted).ToList();
        Assert.Equal(600, decisions.Count);
        Assert.All(decisions, d => Assert.Equal(
            d.RequiredScope == workers.Single(w => w.Id == d.AgentId).Scope,
            d.Kind == PassportAuditEventKind.Allowed));
        Assert.Equal(300, ran.Count);
    }
}
