using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;

namespace AgentPassport.Testing;

/// <summary>
/// A scripted model: an <see cref="IChatClient"/> that returns the function calls you tell it to, with no network and no
/// API key, so the model-driven paths (Semantic Kernel auto-invocation, a function-invoking chat client, agents) run in
/// tests and samples. It calls a tool whether or not the tool was offered, as an injected or confused model might.
/// </summary>
/// <remarks>
/// Three ways to script it: by turns (<see cref="ScriptedChatClient(string, string[][])"/>), by the user's message
/// (<see cref="ScriptedChatClient()"/>), or by a function that picks among the offered tools
/// (<see cref="ScriptedChatClient(string, Func{IReadOnlyList{string}, string?})"/>). Every call carries
/// <see cref="Arguments"/>. Thread-safe for concurrent requests.
/// </remarks>
public sealed class ScriptedChatClient : IChatClient
{
    private readonly Lock _gate = new();
    private readonly List<IReadOnlyList<string>> _offered = [];
    private readonly HashSet<string> _myCalls = [];
    private readonly string[][]? _turns;
    private readonly Func<IReadOnlyList<string>, string, IReadOnlyList<string>>? _pick;
    private int _requests;

    /// <summary>
    /// Scripted by turns: request <c>n</c> answers with calls to the tool names of <paramref name="turns"/>[n], whatever
    /// the conversation holds; <c>"handoff"</c> stands for the first offered tool whose name starts with
    /// <c>handoff_to</c>. Past the last turn it answers <c>"&lt;name&gt;: done"</c>.
    /// </summary>
    /// <param name="name">The model's name: the author of its messages and the prefix of its call ids.</param>
    /// <param name="turns">The tool names to call, one array per request.</param>
    public ScriptedChatClient(string name, params string[][] turns)
    {
        ArgumentNullException.ThrowIfNull(turns);
        Name = name;
        _turns = turns;
    }

    /// <summary>
    /// Driven by the user: the last user message names the tools to call, <c>call flights.book</c> (several:
    /// <c>call flights.book+hotels.book</c>); once the result of a call it made is in the conversation it answers with
    /// that result. A message without <c>call</c> gets a plain answer.
    /// </summary>
    public ScriptedChatClient()
        : this(null, NamedInUserMessage)
    {
    }

    /// <summary>
    /// One agent's model: <paramref name="pickTool"/> chooses among the offered tool names (null: it answers "nothing to
    /// do"); once the result of a call it made is in the conversation it answers with that result. Results of calls it
    /// did not make (other agents' in a shared conversation) are ignored.
    /// </summary>
    /// <param name="name">The agent's name, the author of its messages.</param>
    /// <param name="pickTool">Chooses the tool to call from the offered names.</param>
    public ScriptedChatClient(string name, Func<IReadOnlyList<string>, string?> pickTool)
        : this(name, Picker(pickTool))
    {
    }

    private ScriptedChatClient(string? name, Func<IReadOnlyList<string>, string, IReadOnlyList<string>> pick)
    {
        Name = name;
        _pick = pick;
    }

    /// <summary>Gets the model's name (null for the model driven by the user message).</summary>
    public string? Name { get; }

    /// <summary>Gets the arguments every tool call carries (empty unless you add some).</summary>
    public IDictionary<string, object?> Arguments { get; } = new Dictionary<string, object?>();

    /// <summary>Gets or initializes a callback that sees the options of every request, as the model receives them.</summary>
    public Action<ChatOptions?>? OnRequest { get; init; }

    /// <summary>Gets the number of requests received.</summary>
    public int Requests => Volatile.Read(ref _requests);

    /// <summary>Gets the tool names offered on each request that asked the script for calls, in order.</summary>
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

    /// <summary>Gets the tool names offered on the last request that asked the script for calls.</summary>
    public IReadOnlyList<string> LastOffered
    {
        get
        {
            lock (_gate)
            {
                return _offered.Count == 0 ? [] : _offered[^1];
            }
        }
    }

    /// <inheritdoc/>
    public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        OnRequest?.Invoke(options);
        int request = Interlocked.Increment(ref _requests) - 1;
        return Task.FromResult(_turns is not null ? TakeTurn(request, options) : Pick(messages.ToList(), options));
    }

    /// <inheritdoc/>
    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var response = await GetResponseAsync(messages, options, cancellationToken).ConfigureAwait(false);
        foreach (var update in response.ToChatResponseUpdates())
        {
            yield return update;
        }
    }

    /// <inheritdoc/>
    /// <remarks>Answers <see cref="ChatClientMetadata"/>: Semantic Kernel's chat client service cannot use a client without it.</remarks>
    public object? GetService(Type serviceType, object? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(serviceType);
        return serviceType == typeof(ChatClientMetadata) ? new ChatClientMetadata("scripted", null, "scripted-model")
            : serviceType.IsInstanceOfType(this) ? this : null;
    }

    /// <inheritdoc/>
    public void Dispose()
    {
    }

    private ChatResponse TakeTurn(int turn, ChatOptions? options)
    {
        var offered = Record(options?.Tools?.Select(t => t.Name).ToList() ?? []);
        if (turn >= _turns!.Length)
        {
            return Say($"{Name}: done");
        }

        var calls = _turns[turn].Select(tool => (AIContent)new FunctionCallContent(
            $"{Name}_{turn}_{tool}",
            tool == "handoff" ? offered.First(t => t.StartsWith("handoff_to", StringComparison.Ordinal)) : tool,
            new Dictionary<string, object?>(Arguments))).ToList();
        return new ChatResponse(new ChatMessage(ChatRole.Assistant, calls) { AuthorName = Name });
    }

    private ChatResponse Pick(List<ChatMessage> messages, ChatOptions? options)
    {
        // Driven by the user it is the only model in the conversation: any result is its own. An agent answers only to
        // results of its own calls (a shared conversation holds other agents' too).
        var results = messages.SelectMany(m => m.Contents).OfType<FunctionResultContent>().ToList();
        lock (_gate)
        {
            var mine = Name is null ? results : results.Where(r => _myCalls.Remove(r.CallId)).ToList();
            if (mine.Count > 0)
            {
                return Say($"{mine[^1].Result}");
            }
        }

        var offered = Record(options?.Tools?.OfType<AIFunctionDeclaration>().Select(t => t.Name).ToList() ?? []);
        var tools = _pick!(offered, messages.LastOrDefault(m => m.Role == ChatRole.User)?.Text ?? "");
        if (tools.Count == 0)
        {
            return Say(Name is null ? "plain answer" : "nothing to do");
        }

        var calls = new List<AIContent>();
        foreach (var tool in tools)
        {
            string callId = "call_" + Guid.NewGuid().ToString("N");
            if (Name is not null)
            {
                lock (_gate)
                {
                    _myCalls.Add(callId);
                }
            }

            calls.Add(new FunctionCallContent(callId, tool, new Dictionary<string, object?>(Arguments)));
        }

        return new ChatResponse(new ChatMessage(ChatRole.Assistant, calls) { AuthorName = Name });
    }

    private List<string> Record(List<string> offered)
    {
        lock (_gate)
        {
            _offered.Add(offered);
        }

        return offered;
    }

    private ChatResponse Say(string text) => new(new ChatMessage(ChatRole.Assistant, text) { AuthorName = Name });

    private static Func<IReadOnlyList<string>, string, IReadOnlyList<string>> Picker(Func<IReadOnlyList<string>, string?> pickTool)
    {
        ArgumentNullException.ThrowIfNull(pickTool);
        return (offered, _) => pickTool(offered) is string tool ? [tool] : [];
    }

    // "call flights.book": the offered name for plugin "flights", function "book" (Semantic Kernel offers "flights_book",
    // other paths other separators, a plain tool just "book"); when it was not offered, SK's "flights_book".
    private static List<string> NamedInUserMessage(IReadOnlyList<string> offered, string userText)
    {
        int at = userText.IndexOf("call ", StringComparison.Ordinal);
        if (at < 0)
        {
            return [];
        }

        var names = new List<string>();
        foreach (var target in userText[(at + 5)..].Trim().Split('+'))
        {
            int dot = target.IndexOf('.', StringComparison.Ordinal);
            if (dot < 0)
            {
                names.Add(target);
                continue;
            }

            var (plugin, function) = (target[..dot], target[(dot + 1)..]);
            names.Add(offered.FirstOrDefault(t => t.Length == plugin.Length + function.Length + 1 && t.StartsWith(plugin, StringComparison.Ordinal) && t.EndsWith(function, StringComparison.Ordinal))
                ?? (offered.Contains(function) ? function : $"{plugin}_{function}"));
        }

        return names;
    }
}
