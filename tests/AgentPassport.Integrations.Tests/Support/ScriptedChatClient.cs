using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;

namespace AgentPassport.Integrations.Tests.Support;

/// <summary>
/// A scripted model (no network). Each request takes the next step of the script: a step is the tool names to call in one
/// turn (whether or not they were offered: a model may hallucinate or be injected); "handoff" means the first offered tool
/// whose name starts with "handoff_to". Past the script it answers "&lt;name&gt;: done". Offered tools are recorded.
/// </summary>
public sealed class ScriptedChatClient(string name, params string[][] steps) : IChatClient
{
    private readonly Lock _gate = new();
    private readonly List<IReadOnlyList<string>> _offered = [];
    private int _step;

    public string Name { get; } = name;

    public int Requests => Volatile.Read(ref _step);

    /// <summary>Called with the options of every request, as the model client receives them.</summary>
    public Action<ChatOptions?>? OnRequest { get; init; }

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
        OnRequest?.Invoke(options);
        var offered = options?.Tools?.Select(t => t.Name).ToList() ?? [];
        lock (_gate)
        {
            _offered.Add(offered);
        }

        var step = Interlocked.Increment(ref _step) - 1;
        if (step >= steps.Length)
        {
            return Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, $"{Name}: done") { AuthorName = Name }));
        }

        var calls = steps[step].Select(tool => (AIContent)new FunctionCallContent(
            $"{Name}_{step}_{tool}",
            tool == "handoff" ? offered.First(t => t.StartsWith("handoff_to", StringComparison.Ordinal)) : tool,
            new Dictionary<string, object?> { ["item"] = "SFO-JFK" })).ToList();
        return Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, calls) { AuthorName = Name }));
    }

    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var response = await GetResponseAsync(messages, options, cancellationToken);
        foreach (var update in response.ToChatResponseUpdates())
        {
            yield return update;
        }
    }

    public object? GetService(Type serviceType, object? serviceKey = null) =>
        serviceType == typeof(ChatClientMetadata) ? new ChatClientMetadata("scripted", null, "scripted-model")
        : serviceType.IsInstanceOfType(this) ? this : null;

    public void Dispose()
    {
    }
}
