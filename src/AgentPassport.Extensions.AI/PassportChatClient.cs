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
/// <para>The Passport of a request: <see cref="PassportChatOptionsExtensions.WithPassport"/> on the request's
/// <see cref="ChatOptions"/> when present (an entry that is not a <see cref="PassportContext"/> counts as none), otherwise
/// <see cref="Context"/>. Without one, no tool is offered and every call is denied.</para>
/// <para>Tools the guard cannot enforce are not offered: declaration-only tools (their calls go back to the caller; see
/// <see cref="OfferDeclarationOnlyTools"/>) and hosted tools (they run at the provider). A tool already guarded for the same agent (even inside an
/// <see cref="ApprovalRequiredAIFunction"/>) is kept as it is; a tool guarded for another agent is guarded again for this
/// request's agent, which then decides alone (the inner guard is re-bound to it for the call).</para>
/// <para>Inside an Agent Framework run under <c>UseAgentPassport</c>, the running agent must be this client's agent (or the
/// client must have no Passport of its own, and then the running agent's applies): a client shared between agents with
/// different Passports is refused with <see cref="InvalidOperationException"/>.</para>
/// <para>Tools that reach the loop without passing through this client (a <c>ConfigureOptions</c> layer between this client
/// and the loop) are guarded where the loop runs them: this client chains the loop's
/// <see cref="FunctionInvokingChatClient.FunctionInvoker"/>, and during its requests any function not guarded for the
/// request's agent gets that agent's guard before it runs.</para>
/// <para>Wrong order is refused: a request with tools throws <see cref="InvalidOperationException"/> when no
/// <see cref="FunctionInvokingChatClient"/> is inside this client (it would run the caller's unguarded tools), or when that
/// loop has <see cref="FunctionInvokingChatClient.AdditionalTools"/> not guarded for the request's agent (checked on every
/// request, with or without tools). No tool runs.</para>
/// </remarks>
public sealed class PassportChatClient : DelegatingChatClient
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

    // A tool that reached the loop without passing through this client's options (added by a layer between this client and
    // the loop): guarded for the request's agent unless it already is; without a Passport, it is denied.
    private AIFunction GuardAtLoop(AIFunction function, PassportContext? context, PassportToolScopeResolver resolver)
    {
        if (context is null)
        {
            return function.GetService<PassportUnboundAIFunction>() is not null
                ? function
                : new PassportUnboundAIFunction(function, _authorizer, resolver.Resolve(function) ?? PassportToolGuards.FindGuard(function)?.RequiredScope, TerminateOnDenial);
        }

        if (PassportToolGuards.IsGuardedFor(function, context))
        {
            return function;
        }

        var existing = PassportToolGuards.FindGuard(function);
        return new PassportGuardedAIFunction(function, _authorizer, context, resolver.Resolve(function) ?? existing?.RequiredScope, existing?.ToolName) { TerminateOnDenial = TerminateOnDenial };
    }

    private async ValueTask<ChatOptions> GuardToolsAsync(ChatOptions options, PassportContext? context, PassportToolScopeResolver resolver, CancellationToken cancellationToken)
    {
        VerifiedPassport? verified = null;
        if (context is not null && AdvertiseAllowedToolsOnly)
        {
            var result = await _authorizer.ValidateAsync(context, cancellationToken);
            verified = result.Succeeded ? result.Passport : null;
        }

        var offered = new List<AITool>(options.Tools!.Count);
        foreach (var tool in options.Tools)
        {
            if (tool is not AIFunction function)
            {
                if (OfferDeclarationOnlyTools && tool is AIFunctionDeclaration)
                {
                    offered.Add(tool);
                }

                continue;
            }

            // A tool carrying another agent's guard is guarded again for this agent: this guard decides, and the inner one
            // is re-bound to the executing agent for the call (it does not decide a second time).
            var existing = PassportToolGuards.FindGuard(function);
            var scope = resolver.Resolve(function) ?? existing?.RequiredScope;
            if (AdvertiseAllowedToolsOnly && (verified is null || !PassportAuthorizer.Covers(verified, scope)))
            {
                continue;
            }

            if (PassportToolGuards.IsGuardedFor(function, context))
            {
                // Already guarded for this very agent (possibly inside an approval wrapper): one guard, one decision.
                offered.Add(function);
                continue;
            }

            offered.Add(context is null
                ? new PassportUnboundAIFunction(function, _authorizer, scope, TerminateOnDenial)
                : new PassportGuardedAIFunction(function, _authorizer, context, scope, existing?.ToolName) { TerminateOnDenial = TerminateOnDenial });
        }

        var copy = WithoutPassport(options.Clone());
        copy.Tools = offered;
        if (offered.Count == 0)
        {
            copy.ToolMode = null;
        }

        return copy;
    }

    // The agent a request runs for: its own Passport, else this client's. Inside an agent run (the Agent Framework
    // adapter), that agent must be the same one: a chat client built for Alice must not decide Bob's calls as Alice's.
    private PassportContext? ExecutingContext(bool carriesPassport, PassportContext? requested)
    {
        var context = carriesPassport ? requested : Context;
        var running = PassportExecution.Current;
        if (running is null)
        {
            return context;
        }

        if (!carriesPassport && context is null)
        {
            return running;
        }

        if (!PassportToolGuards.IsSameAgent(context, running))
        {
            throw new InvalidOperationException(
                "This PassportChatClient acts for another agent than the agent that is running it (one chat client shared between agents " +
                "with different Passports). Give each agent its own chat client built with its own Passport, or build the shared one " +
                "without a Passport (UseAgentPassport(authorizer, context: null)) so the running agent's Passport applies. No tool was run.");
        }

        return context;
    }

    // The request's Passport stops here: some providers send AdditionalProperties to the service, and a token must never leave.
    private static ChatOptions WithoutPassport(ChatOptions copy)
    {
        if (copy.AdditionalProperties is { } properties && properties.ContainsKey(PassportChatOptionsExtensions.ContextPropertyName))
        {
            var rest = new AdditionalPropertiesDictionary(properties);
            rest.Remove(PassportChatOptionsExtensions.ContextPropertyName);
            copy.AdditionalProperties = rest.Count == 0 ? null : rest;
        }

        return copy;
    }

    // Reads the scope map and resolver once and checks them (the builder calls this at build time).
    internal PassportToolScopeResolver EnsureConfigured() => _resolver ??= PassportToolScopeResolver.Create(ToolScopes, ScopeResolver);

    private void EnsureLoopInside(bool requireLoop, PassportContext? context)
    {
        var loop = InnerClient.GetService(typeof(FunctionInvokingChatClient)) as FunctionInvokingChatClient;
        if (loop is not null)
        {
            PassportLoopGuard.Install(loop);
        }

        if (loop is null && requireLoop)
        {
            throw new InvalidOperationException(
                "UseAgentPassport() must be placed before UseFunctionInvocation() in the ChatClientBuilder (outside the function-invocation loop): " +
                "no FunctionInvokingChatClient runs inside this PassportChatClient, so tool calls would run unguarded. No tool was run.");
        }

        if (loop?.AdditionalTools?.Any(t => t is not AIFunction f || !PassportToolGuards.IsGuardedFor(f, context)) == true)
        {
            throw new InvalidOperationException(
                "The FunctionInvokingChatClient has AdditionalTools that are not guarded for this request's agent, which it would run without " +
                "that agent's Passport check. Pass tools in ChatOptions.Tools instead (this client guards them per request). No tool was run.");
        }
    }
}
