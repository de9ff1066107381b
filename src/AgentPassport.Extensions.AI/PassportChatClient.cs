using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;

namespace AgentPassport.Extensions.AI;

/// <summary>
/// A chat client that puts the agent's Passport in front of every tool: on each request it wraps every
/// <see cref="AIFunction"/> in <see cref="ChatOptions.Tools"/> in a <see cref="PassportGuardedAIFunction"/> (the same guard,
/// the same <see cref="PassportAuthorizer"/>, so the same policy, denial semantics and audit events as everywhere else) and
/// offers the model only the tools the Passport allows. It must sit <b>outside</b> the
/// <see cref="FunctionInvokingChatClient"/>: <c>builder.UseAgentPassport(...).UseFunctionInvocation()</c>.
/// </summary>
/// <remarks>
/// A request's own Passport (<see cref="PassportChatOptionsExtensions.WithPassport"/>) takes precedence over
/// <see cref="Context"/>; with neither, no tool is offered and every call is denied. Declaration-only and hosted tools are
/// not offered (see <see cref="OfferDeclarationOnlyTools"/>). A wrong order (no <see cref="FunctionInvokingChatClient"/>
/// inside, or its <see cref="FunctionInvokingChatClient.AdditionalTools"/> not guarded for the request's agent) and a client
/// shared by agents with different Passports throw <see cref="InvalidOperationException"/>; no tool runs. How tools are
/// guarded, re-bound to the executing agent and checked where the loop runs them: docs/integrations.md.
/// </remarks>
public sealed partial class PassportChatClient : DelegatingChatClient
{
    private readonly PassportAuthorizer _authorizer;
    private PassportToolScopeResolver? _resolver;

    /// <summary>Initializes the client.</summary>
    /// <param name="innerClient">The inner pipeline; it must contain the <see cref="FunctionInvokingChatClient"/>.</param>
    /// <param name="authorizer">The shared enforcement path.</param>
    /// <param name="context">The Passport of this client's agent, or null (then each request must carry one).</param>
    public PassportChatClient(IChatClient innerClient, PassportAuthorizer authorizer, PassportContext? context = null)
        : base(innerClient)
    {
        ArgumentNullException.ThrowIfNull(authorizer);
        _authorizer = authorizer;
        Context = context;
    }

    /// <summary>Gets or sets the Passport of this client's agent (a request's own Passport takes precedence).</summary>
    public PassportContext? Context { get; set; }

    /// <summary>
    /// Gets the scope each tool requires, by tool name; checked first. Values must be concrete scopes. Configure the map and
    /// <see cref="ScopeResolver"/> before the first request: they are read once.
    /// </summary>
    public IDictionary<string, string> ToolScopes { get; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>
    /// Gets or sets a last-resort resolver for tools with no mapped scope, no attached one
    /// (<see cref="PassportAIFunctionExtensions.WithPassportScope"/>) and no <see cref="PassportScopeAttribute"/>. Returning null denies the tool.
    /// </summary>
    public Func<AIFunction, string?>? ScopeResolver { get; set; }

    /// <summary>Gets or sets a value indicating whether only tools the Passport allows are offered to the model.</summary>
    /// <value>Default true. Either way, every call is checked when it runs.</value>
    public bool AdvertiseAllowedToolsOnly { get; set; } = true;

    /// <summary>
    /// Gets or sets a value indicating whether declaration-only tools (an <see cref="AIFunctionDeclaration"/> that is not an
    /// <see cref="AIFunction"/>) are offered unchanged. Their calls are never run by the loop — they are returned to the
    /// caller (Agent Framework handoff workflows route on them) — so the Passport does not cover them.
    /// </summary>
    /// <value>Default false: they are not offered.</value>
    public bool OfferDeclarationOnlyTools { get; set; }

    /// <summary>
    /// Gets or sets a value indicating whether each offered tool's description states the argument limits of the Passport
    /// (spec v1.1 §13: <c>Argument limits: amount {"max":500}, dest {"in":["JFK","LGA"]}.</c>), so the model does not
    /// waste calls it cannot make. A courtesy only: every call's arguments are checked either way.
    /// </summary>
    /// <value>Default false.</value>
    public bool DescribeArgumentLimits { get; set; }

    /// <summary>Gets or sets a value indicating whether a denial terminates the function-invocation loop.</summary>
    /// <value>Default true.</value>
    public bool TerminateOnDenial { get; set; } = true;

    /// <inheritdoc />
    public override async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var (guarded, atLoop) = await GuardAsync(options, cancellationToken);
        using (PassportLoopGuard.Enter(atLoop))
        {
            return await base.GetResponseAsync(messages, guarded, cancellationToken);
        }
    }

    /// <inheritdoc />
    public override async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var (guarded, atLoop) = await GuardAsync(options, cancellationToken);
        await foreach (var update in PassportLoopGuard.EnumerateAsync(base.GetStreamingResponseAsync(messages, guarded, cancellationToken), atLoop, cancellationToken))
        {
            yield return update;
        }
    }

    /// <inheritdoc />
    public override object? GetService(Type serviceType, object? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(serviceType);
        return serviceKey is null && serviceType == typeof(PassportContext) ? Context : base.GetService(serviceType, serviceKey);
    }

    // The request's options with its tools guarded, and the guard for tools that reach the loop some other way.
    private async ValueTask<(ChatOptions? Options, Func<AIFunction, AIFunction> AtLoop)> GuardAsync(ChatOptions? options, CancellationToken cancellationToken)
    {
        var hasTools = options?.Tools is { Count: > 0 };
        var carriesPassport = options.TryGetPassport(out var requested);
        var context = ExecutingContext(carriesPassport, requested);
        EnsureLoopInside(requireLoop: hasTools, context);
        var resolver = EnsureConfigured();
        AIFunction AtLoop(AIFunction function) => GuardAtLoop(function, context, resolver);
        if (!hasTools)
        {
            return (carriesPassport ? WithoutPassport(options!.Clone()) : options, AtLoop);
        }

        return (await GuardToolsAsync(options!, context, resolver, cancellationToken), AtLoop);
    }

    // Reads the scope map and resolver once and checks them (the builder calls this at build time).
    internal PassportToolScopeResolver EnsureConfigured() => _resolver ??= PassportToolScopeResolver.Create(ToolScopes, ScopeResolver);
}
