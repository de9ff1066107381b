using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;

namespace AgentPassport.Samples;

/// <summary>
/// A scripted model, so the samples run offline and deterministically. The last user message names the tool to call
/// (<c>call flights.book</c>); turn 1 returns a function call for it, whether or not it was offered (as an injected or
/// confused model might); once a tool result is in the conversation it answers <c>final: &lt;result&gt;</c>.
/// </summary>
internal sealed class ScriptedChatClient : IChatClient
{
    /// <summary>Gets the tool names offered on the last request.</summary>
    public IReadOnlyList<string> LastOffered { get; private set; } = [];

    /// <summary>Gets the arguments the model passes to every tool call.</summary>
    public Dictionary<string, object?> Arguments { get; } = [];

    public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var list = messages.ToList();
        var results = list.SelectMany(m => m.Contents).OfType<FunctionResultContent>().ToList();
        if (results.Count > 0)
        {
            return Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, "final: " + results[^1].Result)));
        }

        LastOffered = options?.Tools?.OfType<AIFunctionDeclaration>().Select(t => t.Name).ToList() ?? [];
        string text = list.Last(m => m.Role == ChatRole.User).Text;
        string target = text[(text.IndexOf("call ", StringComparison.Ordinal) + 5)..].Trim();

        // Semantic Kernel offers plugin functions as "plugin_function"; plain tools keep their names.
        string name = LastOffered.FirstOrDefault(t => t == target || t == target.Replace('.', '_')) ?? target.Replace('.', '_');
        var call = new FunctionCallContent("call_" + Guid.NewGuid().ToString("N")[..8], name, new Dictionary<string, object?>(Arguments));
        return Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, [call])));
    }

    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var response = await GetResponseAsync(messages, options, cancellationToken);
        foreach (var update in response.ToChatResponseUpdates())
        {
            yield return update;
        }
    }

    // Semantic Kernel's ChatClientAIService reads ChatClientMetadata; without it the kernel cannot use the client.
    public object? GetService(Type serviceType, object? serviceKey = null) =>
        serviceType == typeof(ChatClientMetadata) ? new ChatClientMetadata("scripted", null, "scripted-model")
        : serviceType.IsInstanceOfType(this) ? this : null;

    public void Dispose()
    {
    }
}
