using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;

namespace AgentPassport.Samples;

/// <summary>
/// A scripted model, so the samples run offline and deterministically. On its turn it returns one function call, with
/// <see cref="Arguments"/>, whether or not the tool was offered (as an injected or confused model might); once the result
/// of a call it made is in the conversation it answers with that result. Results of calls it did not make (other agents'
/// in a shared conversation) are ignored.
/// </summary>
internal sealed class ScriptedChatClient : IChatClient
{
    private readonly string? _agent;
    private readonly Func<IReadOnlyList<string>, string, string?> _pickTool;
    private readonly HashSet<string> _myCalls = [];

    /// <summary>
    /// A single model driven by the user: the last user message names the tool to call (<c>call flights.book</c>); it
    /// answers with the tool's result.
    /// </summary>
    public ScriptedChatClient()
        : this(null, NamedInUserMessage)
    {
    }

    /// <summary>
    /// One agent's model in a multi-agent workflow: <paramref name="pickTool"/> chooses among the offered tool names (null:
    /// it answers "nothing to do"); its messages carry the agent's name and it answers with the result alone.
    /// </summary>
    public ScriptedChatClient(string agent, Func<IReadOnlyList<string>, string?> pickTool)
        : this(agent, (offered, _) => pickTool(offered))
    {
    }

    private ScriptedChatClient(string? agent, Func<IReadOnlyList<string>, string, string?> pickTool)
    {
        _agent = agent;
        _pickTool = pickTool;
    }

    /// <summary>Gets the tool names offered on the last request.</summary>
    public IReadOnlyList<string> LastOffered { get; private set; } = [];

    /// <summary>Gets the arguments the model passes to every tool call.</summary>
    public Dictionary<string, object?> Arguments { get; } = [];

    public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var list = messages.ToList();
        var mine = list.SelectMany(m => m.Contents).OfType<FunctionResultContent>().Where(r => _myCalls.Contains(r.CallId)).ToList();
        if (mine.Count > 0)
        {
            _myCalls.Clear();
            return Task.FromResult(Say($"{mine[^1].Result}"));
        }

        LastOffered = options?.Tools?.OfType<AIFunctionDeclaration>().Select(t => t.Name).ToList() ?? [];
        string? tool = _pickTool(LastOffered, list.LastOrDefault(m => m.Role == ChatRole.User)?.Text ?? "");
        if (tool is null)
        {
            return Task.FromResult(Say("nothing to do"));
        }

        string callId = "call_" + Guid.NewGuid().ToString("N")[..8];
        _myCalls.Add(callId);
        var call = new FunctionCallContent(callId, tool, new Dictionary<string, object?>(Arguments));
        return Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, [call]) { AuthorName = _agent }));
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

    // "call flights.book": Semantic Kernel offers plugin functions as "plugin_function"; plain tools keep their names.
    private static string NamedInUserMessage(IReadOnlyList<string> offered, string userText)
    {
        string target = userText[(userText.IndexOf("call ", StringComparison.Ordinal) + 5)..].Trim();
        return offered.FirstOrDefault(t => t == target || t == target.Replace('.', '_')) ?? target.Replace('.', '_');
    }

    private ChatResponse Say(string text) => new(new ChatMessage(ChatRole.Assistant, text) { AuthorName = _agent });
}
