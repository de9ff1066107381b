using System.Text.Json;
using Microsoft.Agents.AI;
using Microsoft.Extensions.AI;
using Microsoft.SemanticKernel;
using FunctionResultContent = Microsoft.Extensions.AI.FunctionResultContent;

namespace AgentPassport.SemanticKernel.Tests.Support;

/// <summary>What the caller of one path can observe: typed denials, and whether the model was shown a denial.</summary>
public sealed record PathOutcome(IReadOnlyList<PassportDenial> Denials, bool ModelSawDenial);

/// <summary>Drives one model-chosen (or direct) call of <c>plugin.function</c> on an agent's kernel through one path.</summary>
public static class PathRunner
{
    public static async Task<PathOutcome> RunAsync(InvocationPath path, TravelFixture fixture, Kernel agent, string tool)
    {
        var (plugin, function) = (tool.Split('.')[0], tool.Split('.')[1]);
        var prompt = "call " + tool;
        switch (path)
        {
            case InvocationPath.SkAutoInvocation:
                return Typed((await agent.InvokePromptAsync(prompt, TravelFixture.AutoInvoke())).GetPassportDenials());

            case InvocationPath.SkAutoInvocationStreaming:
                var updates = new List<StreamingKernelContent>();
                await foreach (var update in agent.InvokePromptStreamingAsync(prompt, TravelFixture.AutoInvoke()))
                {
                    updates.Add(update);
                }

                // Streaming updates carry text, not function results: the caller learns of a denial from the audit sink.
                return new([], ModelSawDenial: false);

            case InvocationPath.DirectKernelInvoke:
                return Typed((await agent.InvokeAsync(plugin, function, new KernelArguments { ["item"] = "SFO-JFK" })).GetPassportDenials());

            case InvocationPath.MeaiLoopWithKernelFunctions:
                return await MeaiLoopAsync(fixture, prompt, agent.GuardAIFunctions(agent.Plugins.SelectMany(p => p)));

            case InvocationPath.PluginAsAIFunctions:
                return await MeaiLoopAsync(fixture, prompt, agent.GuardAIFunctions(agent.Plugins.SelectMany(p => p.AsAIFunctions(agent))));

            case InvocationPath.KernelBoundAsAIFunction:
#pragma warning disable CS0618 // AsAIFunction(kernel) is obsolete in SK 1.82, but it is a live path that runs the kernel's filters: it must be covered.
                return await MeaiLoopAsync(fixture, prompt, agent.Plugins.SelectMany(p => p).Select(f => (AITool)f.AsAIFunction(agent)).ToList());
#pragma warning restore CS0618

            case InvocationPath.AgentFrameworkChatClientAgent:
                var tools = agent.GuardAIFunctions(agent.Plugins.SelectMany(p => p));
                var chatAgent = new ChatClientAgent(fixture.Model, instructions: "You book travel.", name: "carol", tools: tools);
                var response = await chatAgent.RunAsync(prompt);
                return FromMessages(response.Messages);

            default:
                throw new ArgumentOutOfRangeException(nameof(path));
        }
    }

    public static async Task<PathOutcome> MeaiLoopAsync(TravelFixture fixture, string prompt, IList<AITool> tools, IServiceProvider? services = null)
    {
        using var client = new ChatClientBuilder(fixture.Model).UseFunctionInvocation().Build(services);
        var response = await client.GetResponseAsync(prompt, new ChatOptions { Tools = tools });
        return FromMessages(response.Messages);
    }

    private static PathOutcome Typed(IReadOnlyList<PassportDenial> denials) => new(denials, denials.Count > 0);

    // AsAIFunction(kernel) serializes results to JSON before the loop sees them: the model sees {"denied":true,...}
    // but the typed object does not survive (the caller reads the typed error from the audit sink instead).
    private static PathOutcome FromMessages(IEnumerable<ChatMessage> messages)
    {
        var list = messages.ToList();
        var denials = list.GetPassportDenials();
        var json = list.SelectMany(m => m.Contents).OfType<FunctionResultContent>().Select(c => c.Result).OfType<JsonElement>()
            .Any(j => j.ValueKind == JsonValueKind.Object && j.TryGetProperty("denied", out var d) && d.GetBoolean());
        return new(denials, denials.Count > 0 || json);
    }
}
