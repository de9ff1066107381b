using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;

namespace AgentPassport.Extensions.AI.Tests.Support;

/// <summary>A stateless scripted model for concurrent use: it calls <paramref name="tool"/> until a tool result is in the conversation, then answers.</summary>
public sealed class CallOnceModel(string tool) : IChatClient
{
    public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var list = messages.ToList();
        return Task.FromResult(list.SelectMany(m => m.Contents).OfType<FunctionResultContent>().Any()
            ? new ChatResponse(new ChatMessage(ChatRole.Assistant, "done"))
            : new ChatResponse(new ChatMessage(ChatRole.Assistant, [new FunctionCallContent("c_" + Guid.NewGuid().ToString("N"), tool, new Dictionary<string, object?> { ["item"] = list[^1].Text })])));
    }

    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        foreach (var update in (await GetResponseAsync(messages, options, cancellationToken)).ToChatResponseUpdates())
        {
            yield return update;
        }
    }

    public object? GetService(Type serviceType, object? serviceKey = null) => serviceType.IsInstanceOfType(this) ? this : null;

    public void Dispose()
    {
    }
}
