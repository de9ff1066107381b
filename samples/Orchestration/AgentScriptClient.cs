using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;

namespace Orchestration;

/// <summary>
/// One agent's scripted model (offline, deterministic). On its turn it calls the first offered tool its script picks;
/// once the result of a call it made is in the conversation it answers with that result. Calls and results of
/// other agents in the shared conversation are ignored.
/// </summary>
internal sealed class AgentScriptClient(string agent, Func<IReadOnlyList<string>, string?> pickTool) : IChatClient
{
    private readonly HashSet<string> _myCalls = [];

    public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var list = messages.ToList();
        var mine = list.SelectMany(m => m.Contents).OfType<FunctionResultContent>().Where(r => _myCalls.Contains(r.CallId)).ToList();
        if (mine.Count > 0)
        {
            _myCalls.Clear();
            return Task.FromResult(Say($"{mine[^1].Result}"));
        }

        var offered = options?.Tools?.OfType<AIFunctionDeclaration>().Select(t => t.Name).ToList() ?? [];
        string? tool = pickTool(offered);
        if (tool is null)
        {
            return Task.FromResult(Say("nothing to do"));
        }

        string callId = $"{agent}-{Guid.NewGuid():N}"[..(agent.Length + 9)];
        _myCalls.Add(callId);
        var call = new FunctionCallContent(callId, tool, new Dictionary<string, object?> { ["item"] = "SFO -> JFK, 2026-06-12" });
        return Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, [call]) { AuthorName = agent }));
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

    private ChatResponse Say(string text) => new(new ChatMessage(ChatRole.Assistant, text) { AuthorName = agent });
}
