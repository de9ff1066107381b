using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;

namespace AgentPassport.Extensions.AI;

/// <summary>
/// One agent's Passport enforcement for an adapter that runs agents (the Agent Framework <c>UseAgentPassport</c> is built on
/// it): each tool call it runs is decided once, by the shared <see cref="PassportAuthorizer"/>, for <see cref="Context"/>; a
/// denied body never runs.
/// </summary>
/// <remarks>
/// No member marks a call as decided without a decision: a call this guard does not decide is one that carries this agent's
/// own guard (which decides when it runs) or that an outer guard already allowed. <see cref="RunAsync{TResult}"/> only names
/// the executing agent; every call inside it is still decided by the authorizer, for that agent.
/// </remarks>
public sealed class PassportToolCallGuard
{
    private readonly PassportAuthorizer _authorizer;
    private readonly PassportToolScopeResolver _resolver;

    /// <summary>Initializes the guard.</summary>
    /// <param name="authorizer">The shared enforcement path.</param>
    /// <param name="context">The agent's Passport and chain.</param>
    /// <param name="toolScopes">The scope each tool requires, by tool name; checked first. Values must be concrete scopes.</param>
    /// <param name="scopeResolver">A last-resort resolver for tools with no other scope; returning null denies the tool.</param>
    /// <param name="terminateOnDenial">Whether a denial terminates the agent's function-invocation loop.</param>
    /// <exception cref="ArgumentException">A mapped scope is not a concrete scope.</exception>
    public PassportToolCallGuard(
        PassportAuthorizer authorizer,
        PassportContext context,
        IEnumerable<KeyValuePair<string, string>>? toolScopes = null,
        Func<AIFunction, string?>? scopeResolver = null,
        bool terminateOnDenial = true)
    {
        ArgumentNullException.ThrowIfNull(authorizer);
        ArgumentNullException.ThrowIfNull(context);
        _authorizer = authorizer;
        Context = context;
        _resolver = PassportToolScopeResolver.Create(toolScopes ?? [], scopeResolver);
        TerminateOnDenial = terminateOnDenial;
    }

    /// <summary>Gets the agent's Passport and chain.</summary>
    public PassportContext Context { get; }

    /// <summary>Gets a value indicating whether a denial terminates the agent's function-invocation loop.</summary>
    public bool TerminateOnDenial { get; }

    /// <summary>Gets a value indicating whether <paramref name="function"/> carries this agent's own guard (it decides its calls itself).</summary>
    /// <param name="function">The tool.</param>
    /// <returns>True when the tool is guarded for this agent.</returns>
    public bool IsGuarded(AIFunction function)
    {
        ArgumentNullException.ThrowIfNull(function);
        return PassportToolGuards.IsGuardedFor(function, Context);
    }

    /// <summary>
    /// Function-invocation middleware: decides <paramref name="invocation"/>'s call for this agent, then calls
    /// <paramref name="next"/> only when allowed; denied, it returns a <see cref="PassportDenial"/> (and terminates the loop
    /// when <see cref="TerminateOnDenial"/>). A tool carrying this agent's own guard goes to <paramref name="next"/>, and that
    /// guard decides; a tool guarded for another agent is decided here, and its guard is re-bound to this agent for the call.
    /// </summary>
    /// <param name="invocation">The call.</param>
    /// <param name="next">The rest of the pipeline, which runs <see cref="FunctionInvocationContext.Function"/>.</param>
    /// <param name="cancellationToken">Cancels the decision and the call.</param>
    /// <returns>The tool's result, or a <see cref="PassportDenial"/>.</returns>
    public ValueTask<object?> InvokeAsync(
        FunctionInvocationContext invocation,
        Func<FunctionInvocationContext, CancellationToken, ValueTask<object?>> next,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(invocation);
        ArgumentNullException.ThrowIfNull(next);
        var function = invocation.Function;
        if (PassportToolGuards.IsGuardedFor(function, Context))
        {
            // The tool carries this agent's own guard (even inside an approval wrapper): it decides, once.
            return next(invocation, cancellationToken);
        }

        // Unguarded, or guarded for another agent: this agent decides, and an inner guard is re-bound to it for the call.
        var existing = PassportToolGuards.FindGuard(function);
        return PassportToolGate.InvokeAsync(_authorizer, Context, existing?.ToolName ?? function.Name, _resolver.Resolve(function) ?? existing?.RequiredScope,
            TerminateOnDenial, invocation, invocation.Arguments, function, function,
            static (s, ct) => s.next(s.invocation, ct), (next, invocation), cancellationToken);
    }

    /// <summary>
    /// Wraps an agent's chat client for one run: every function tool that reaches its function-invocation loop (in the
    /// request's options, or added inside the client) is guarded for this agent unless it already is.
    /// </summary>
    /// <param name="innerClient">The agent's chat client.</param>
    /// <returns>The guarded client.</returns>
    public IChatClient GuardChatClient(IChatClient innerClient)
    {
        ArgumentNullException.ThrowIfNull(innerClient);
        return new PassportRunGuardChatClient(innerClient, _authorizer, Context, _resolver, TerminateOnDenial);
    }

    /// <summary>
    /// Runs one agent run with this agent as the executing agent: a <see cref="PassportChatClient"/> inside it then refuses
    /// to act for another agent, and one without a Passport of its own decides for this agent.
    /// </summary>
    /// <typeparam name="TResult">The run's result.</typeparam>
    /// <param name="run">The run.</param>
    /// <param name="cancellationToken">Passed to <paramref name="run"/>.</param>
    /// <returns>The run's result.</returns>
    public async Task<TResult> RunAsync<TResult>(Func<CancellationToken, Task<TResult>> run, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(run);
        using (PassportExecution.Enter(Context))
        {
            return await run(cancellationToken);
        }
    }

    /// <summary>Runs one streaming agent run with this agent as the executing agent (see <see cref="RunAsync{TResult}"/>).</summary>
    /// <typeparam name="T">The run's updates.</typeparam>
    /// <param name="run">The run.</param>
    /// <param name="cancellationToken">Passed to <paramref name="run"/> and to its enumeration.</param>
    /// <returns>The run's updates.</returns>
    public async IAsyncEnumerable<T> RunStreamingAsync<T>(Func<CancellationToken, IAsyncEnumerable<T>> run, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(run);
        IAsyncEnumerator<T> updates;
        using (PassportExecution.Enter(Context))
        {
            updates = run(cancellationToken).GetAsyncEnumerator(cancellationToken);
        }

        await using (updates)
        {
            while (true)
            {
                // An async iterator does not keep an ambient value across yields: set it around each step of the inner run.
                using (PassportExecution.Enter(Context))
                {
                    if (!await updates.MoveNextAsync())
                    {
                        break;
                    }
                }

                yield return updates.Current;
            }
        }
    }
}
