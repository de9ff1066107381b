using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;

namespace AgentPassport.SemanticKernel.Tests.Support;

/// <summary>
/// A scripted model (no network). The last user message says which tool to call: "call hotels.book". Turn 1 returns a
/// function call for that tool (whether or not it was offered: a model may hallucinate or be injected); once a tool
/// result is in the conversation it answers "final: &lt;result&gt;". Every request's offered tools are recorded.
/// </summary>
public sealed class ScriptedChatClient : IChatClient
{
    private readonly Lock _gate = new();
    private readonly List<IReadOnlyList<string>> _offered = [];
    private int _requests;

    public int Requests => Volatile.Read(ref _requests);

    public IReadOnlyList<IReadOnlyList<string>> OfferedTools
    {
        get
        {
            lock (_gate)
            {
                return [.. _offered];
            }
        }
    }

    public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _requests);
        var list = messages.ToList();
        var results = list.SelectMany(m => m.Contents).OfType<FunctionResultContent>().ToList();
        if (results.Count > 0)
        {
            return Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, "final: " + results[^1].Result)));
        }

        var tools = options?.Tools?.OfType<AIFunctionDeclaration>().Select(t => t.Name).ToList() ?? [];
        lock (_gate)
        {
            _offered.Add(tools);
        }

        var text = list.Last(m => m.Role == ChatRole.User).Text;
        if (!text.Contains("call ", StringComparison.Ordinal))
        {
            return Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, "plain answer")));
        }

        // "call a.b+c.d" asks for several tool calls in one turn.
        var calls = new List<AIContent>();
        foreach (var target in text[(text.IndexOf("call ", StringComparison.Ordinal) + 5)..].Trim().Split('+'))
        {
            var (plugin, function) = (target.Split('.')[0], target.Split('.')[1]);

            // Use the offered name when the tool was offered (its naming varies by path); otherwise SK's plugin_function name.
            var name = tools.FirstOrDefault(t => t.StartsWith(plugin, StringComparison.Ordinal) && t.EndsWith(function, StringComparison.Ordinal) && t.Length == plugin.Length + function.Length + 1)
                ?? (tools.Contains(function) ? function : $"{plugin}_{function}");
            calls.Add(new FunctionCallContent("call_" + Guid.NewGuid().ToString("N"), name, new Dictionary<string, object?> { ["item"] = "SFO-JFK" }));
        }

        return Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, calls)));
    }

    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var response = await GetResponseAsync(messages, options, cancellationToken);
        foreach (var update in response.ToChatResponseUpdates())
        {
            yield return update;
        }
    }

    // ChatClientMetadata is required: Semantic Kernel's ChatClientAIService reads it.
    public object? GetService(Type serviceType, object? serviceKey = null) =>
        serviceType == typeof(ChatClientMetadata) ? new ChatClientMetadata("scripted", null, "scripted-model")
        : serviceType.IsInstanceOfType(this) ? this : null;

    public void Dispose()
    {
    }
}
