using AgentPassport.SemanticKernel.Tests.Support;
using FsCheck;
using FsCheck.Fluent;
using Microsoft.Agents.AI;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.SemanticKernel;

namespace AgentPassport.SemanticKernel.Tests.Enforcement;

/// <summary>
/// Property (FsCheck): over random compositions — a kernel function or a plain tool, pre-guarded for Alice, for Carol or not
/// at all, maybe inside an approval wrapper (approved by the user), delivered to the executing agent as an Agent Framework agent's tool, its loop's
/// AdditionalTools, a per-run factory tool, through its own or a shared Passport chat client, a plain loop it guards itself, or
/// a loop whose services hold a filterless kernel — the body runs exactly when the executing agent's Passport allows it, the
/// one decision names that agent, and what cannot be secured is refused before anything runs.
/// </summary>
public sealed class CompositionProperties
{
    public enum Owner { None, Alice, Carol }

    public enum Delivery { AgentTools, AgentAdditionalTools, AgentPerRunFactory, OwnPassportChatClient, SharedChatClientUnderAgent, PlainLoopGuardedByExecutor, ServiceKernelLoopGuardedByExecutor }

    public sealed record Composition(bool ExecutorIsAlice, string Tool, bool KernelFunction, Owner Owner, bool Approval, Delivery Delivery)
    {
        public override string ToString() =>
            $"{(ExecutorIsAlice ? "alice" : "carol")} runs {Tool} ({(KernelFunction ? "kernel fn" : "plain fn")}, guarded for {Owner}{(Approval ? ", approval" : string.Empty)}) via {Delivery}";
    }

    private static Gen<Composition> Compositions =>
        from alice in Gen.Elements(true, false)
        from tool in Gen.Elements("flights.book", "hotels.book", "payments.charge")
        from kernelFunction in Gen.Elements(true, false)
        from owner in Gen.Elements(Owner.None, Owner.Alice, Owner.Carol)
        from delivery in Gen.Elements(Enum.GetValues<Delivery>())
        from approval in ApprovalFor(delivery)
        select new Composition(alice, tool, kernelFunction, owner, approval, delivery);

    // Approval round trips are driven on Microsoft.Extensions.AI loops (an agent run would need a session to resume).
    private static Gen<bool> ApprovalFor(Delivery delivery) => delivery is Delivery.OwnPassportChatClient or Delivery.PlainLoopGuardedByExecutor
        or Delivery.ServiceKernelLoopGuardedByExecutor
        ? Gen.Elements(true, false)
        : Gen.Constant(false);

    [Fact]
    public void TheBodyRunsExactlyWhenTheExecutingAgentsPassportAllowsIt_AndTheOneDecisionNamesThatAgent()
    {
        Prop.ForAll(Compositions.ToArbitrary(), c => HoldsAsync(c).GetAwaiter().GetResult())
            .Check(Config.QuickThrowOnFailure.WithMaxTest(250));
    }

    private static async Task<Property> HoldsAsync(Composition c)
    {
        using var f = new TravelFixture();
        var (aliceKernel, _, carolKernel) = await f.AliceBobCarolAsync();
        var executorKernel = c.ExecutorIsAlice ? aliceKernel : carolKernel;
        var executor = executorKernel.GetPassport()!;
        var scope = c.Tool.Replace('.', ':');
        var tool = BuildTool(f, c, aliceKernel, carolKernel, scope);
        var prompt = "call " + c.Tool;

        bool refused = false;
        string? why = null;
        try
        {
            await DeliverAsync(f, c, tool, executor, executorKernel, prompt);
        }
        catch (InvalidOperationException e)
        {
            refused = true;
            why = e.Message;
        }

        var mustRefuse = c.Delivery == Delivery.AgentAdditionalTools && c.Owner != (c.ExecutorIsAlice ? Owner.Alice : Owner.Carol);
        var allowed = c.ExecutorIsAlice || c.Tool == "flights.book";
        var decisions = f.Sink.Events.Where(e => e.Kind != PassportAuditEventKind.Minted)
            .Select(e => $"{e.AgentId} {(e.Kind == PassportAuditEventKind.Allowed ? "allowed" : "denied")} {e.RequiredScope}").ToList();
        var agentId = c.ExecutorIsAlice ? "agent:alice" : "agent:carol";
        var holds = mustRefuse
            ? refused && f.Counters.Total == 0 && decisions.Count == 0
            : !refused
              && f.Counters.Total == (allowed ? 1 : 0)
              && decisions.SequenceEqual([$"{agentId} {(allowed ? "allowed" : "denied")} {scope}"])
              && f.Counters.Log.All(l => l.AgentId is null || l.AgentId == agentId);
        return holds.Label($"{c}: refused={refused} ({why}), runs={f.Counters.Total}, decisions=[{string.Join("; ", decisions)}]");
    }

    private static AIFunction BuildTool(TravelFixture f, Composition c, Kernel alice, Kernel carol, string scope)
    {
        var (plugin, function) = (c.Tool.Split('.')[0], c.Tool.Split('.')[1]);
        AIFunction tool;
        if (c.Owner == Owner.None)
        {
            // An unguarded kernel function needs a kernel of its own (here the Passport-less template's).
            AIFunction raw = c.KernelFunction
                ? carol.Plugins[plugin][function].WithKernel(f.Template)
                : AIFunctionFactory.Create((string item) => f.Counters.Hit(c.Tool, null), new AIFunctionFactoryOptions { Name = $"{plugin}_{function}" });
            tool = raw.WithPassportScope(scope);
        }
        else
        {
            var owner = c.Owner == Owner.Alice ? alice : carol;
            tool = c.KernelFunction
                ? (AIFunction)owner.GuardAIFunctions([owner.Plugins[plugin][function]])[0]
                : (AIFunction)new[] { AIFunctionFactory.Create((string item) => f.Counters.Hit(c.Tool, null), new AIFunctionFactoryOptions { Name = $"{plugin}_{function}" }).WithPassportScope(scope) }
                    .GuardWithPassport(f.Authorizer, owner.GetPassport()!)[0];
        }

        return c.Approval ? new ApprovalRequiredAIFunction(tool) : tool;
    }

    private static async Task DeliverAsync(TravelFixture f, Composition c, AIFunction tool, PassportContext executor, Kernel executorKernel, string prompt)
    {
        switch (c.Delivery)
        {
            case Delivery.AgentTools:
                await RunAgentAsync(new ChatClientAgent(f.Model, name: "agent", tools: [tool]).AsBuilder().UseAgentPassport(f.Authorizer, executor).Build(), prompt);
                break;

            case Delivery.AgentAdditionalTools:
                var loop = new ChatClientBuilder(f.Model).UseFunctionInvocation(configure: l => l.AdditionalTools = [tool]).Build();
                await RunAgentAsync(new ChatClientAgent(loop, name: "agent").AsBuilder().UseAgentPassport(f.Authorizer, executor).Build(), prompt);
                break;

            case Delivery.AgentPerRunFactory:
                var agent = new ChatClientAgent(f.Model, name: "agent").AsBuilder().UseAgentPassport(f.Authorizer, executor).Build();
                await RunAgentAsync(agent, prompt, new ChatClientAgentRunOptions
                {
                    ChatClientFactory = client => client.AsBuilder().ConfigureOptions(o => o.Tools = [.. o.Tools ?? [], tool]).Build(),
                });
                break;

            case Delivery.OwnPassportChatClient:
                using (var client = new ChatClientBuilder(f.Model).UseAgentPassport(f.Authorizer, executor, p => p.AdvertiseAllowedToolsOnly = false).UseFunctionInvocation().Build())
                {
                    await RunLoopAsync(client, prompt, [tool]);
                }

                break;

            case Delivery.SharedChatClientUnderAgent:
                var shared = new ChatClientBuilder(f.Model).UseAgentPassport(f.Authorizer, context: null, p => p.AdvertiseAllowedToolsOnly = false).UseFunctionInvocation().Build();
                await RunAgentAsync(new ChatClientAgent(shared, name: "agent", tools: [tool]).AsBuilder().UseAgentPassport(f.Authorizer, executor).Build(), prompt);
                break;

            case Delivery.PlainLoopGuardedByExecutor:
                using (var plain = new ChatClientBuilder(f.Model).UseFunctionInvocation().Build())
                {
                    await RunLoopAsync(plain, prompt, executorKernel.GuardAIFunctions([tool]));
                }

                break;

            case Delivery.ServiceKernelLoopGuardedByExecutor:
                var bare = new Kernel();
                bare.Plugins.AddFromObject(new PaymentsPlugin(f.Counters), "payments");
                using (var services = new ServiceCollection().AddSingleton(bare).BuildServiceProvider())
                using (var withServices = new ChatClientBuilder(f.Model).UseFunctionInvocation().Build(services))
                {
                    await RunLoopAsync(withServices, prompt, executorKernel.GuardAIFunctions([tool]));
                }

                break;
        }
    }

    // Approves any approval request once, as a user would, and sends the conversation back.
    private static async Task RunLoopAsync(IChatClient client, string prompt, IList<AITool> tools)
    {
        List<ChatMessage> conversation = [new(ChatRole.User, prompt)];
        var options = new ChatOptions { Tools = tools };
        var response = await client.GetResponseAsync(conversation, options);
        if (Approval(response.Messages) is { } request)
        {
            await client.GetResponseAsync([.. conversation, .. response.Messages, new(ChatRole.User, [request.CreateResponse(approved: true)])], options);
        }
    }

    private static async Task RunAgentAsync(AIAgent agent, string prompt, AgentRunOptions? options = null)
    {
        List<ChatMessage> conversation = [new(ChatRole.User, prompt)];
        var response = await agent.RunAsync(conversation, options: options);
        if (Approval(response.Messages) is { } request)
        {
            await agent.RunAsync([.. conversation, .. response.Messages, new(ChatRole.User, [request.CreateResponse(approved: true)])], options: options);
        }
    }

    private static ToolApprovalRequestContent? Approval(IEnumerable<ChatMessage> messages) =>
        messages.SelectMany(m => m.Contents).OfType<ToolApprovalRequestContent>().FirstOrDefault();
}
