using AgentPassport.Testing;
using AgentPassport.TestSupport.Adapters;
using Microsoft.Agents.AI;
using Microsoft.Extensions.AI;

namespace AgentPassport.Integrations.Tests.Enforcement;

/// <summary>
/// Tools that reach the function-invocation loop after the Passport layer wrapped the options (a ConfigureOptions client
/// between them) are checked where the loop runs them: exactly one decision, for the executing agent, and a denied body
/// never runs. Carol holds only flights:book.
/// </summary>
public sealed class LoopGuardTests : IDisposable
{
    private readonly PassportFixture _f = new();
    private readonly ToolBodies _bodies = new();

    public void Dispose() => _f.Dispose();

    private Func<ChatClientBuilder, ChatClientBuilder> AddToolsInside() =>
        b => b.ConfigureOptions(o =>
        {
            o.Tools ??= [];
            foreach (var tool in _bodies.Scoped())
            {
                o.Tools.Add(tool);
            }
        });

    [Fact]
    public async Task ToolsAddedBetweenThePassportClientAndTheLoop_AreDecidedOnce_ForTheClientsAgent()
    {
        var (_, _, carol) = await _f.AliceBobCarolAsync();
        var model = new ScriptedChatClient("carol", ["payments_charge"], ["flights_book"]).WithTravelItem();
        var client = AddToolsInside()(new ChatClientBuilder(model).UseAgentPassport(_f.Authorizer, carol, c => c.AdvertiseAllowedToolsOnly = false))
            .UseFunctionInvocation()
            .Build();

        await client.GetResponseAsync("pay", new ChatOptions());
        await foreach (var _ in client.GetStreamingResponseAsync("fly", new ChatOptions()))
        {
        }

        Assert.Equal(0, _bodies.Runs("payments_charge"));
        Assert.Equal(1, _bodies.Runs("flights_book"));
        Assert.Equal(["agent:carol denied payments:charge", "agent:carol allowed flights:book"], _f.Decisions());
    }

    [Fact]
    public async Task ToolsAddedInsideAnAgentsChatClient_AreDecidedOnce_ForTheAgent()
    {
        var (_, _, carol) = await _f.AliceBobCarolAsync();
        var model = new ScriptedChatClient("carol", ["payments_charge"]).WithTravelItem();
        var chat = AddToolsInside()(new ChatClientBuilder(model)).UseFunctionInvocation().Build();
        var agent = new ChatClientAgent(chat, name: "carol").AsBuilder().UseAgentPassport(_f.Authorizer, carol).Build();

        await agent.RunAsync("pay");

        Assert.Equal(0, _bodies.Total);
        Assert.Equal(["agent:carol denied payments:charge"], _f.Decisions());
    }
}
