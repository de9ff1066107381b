using Microsoft.Extensions.AI;

namespace AgentPassport.Extensions.AI;

/// <summary>
/// What every Microsoft.Extensions.AI-based adapter (the guard, the chat client, the Agent Framework middleware) does around
/// one tool call: ask the shared <see cref="PassportAuthorizer"/>; allowed → run the body; denied → never run it, stop the
/// surrounding loop, and return a <see cref="PassportDenial"/>. The decision itself is made only by the authorizer, once
/// per call: a call an outer layer already decided (its <see cref="PassportCallTicket"/>) is not decided again.
/// </summary>
internal static class PassportToolGate
{
    /// <summary>
    /// The <see cref="AIFunctionArguments.Context"/> key under which the body of an allowed call finds the agent it runs for
    /// (a kernel-bound tool uses it to run on that agent's kernel). Never a model-visible argument.
    /// </summary>
    public static readonly object ExecutingAgentKey = new();

    public static async ValueTask<object?> InvokeAsync<TState>(
        PassportAuthorizer authorizer,
        PassportContext? context,
        string toolName,
        string? requiredScope,
        bool terminateOnDenial,
        FunctionInvocationContext? loop,
        AIFunctionArguments? arguments,
        AIFunction self,
        AIFunction inner,
        Func<TState, CancellationToken, ValueTask<object?>> body,
        TState state,
        CancellationToken cancellationToken)
    {
        // The arguments exactly as the body will receive them: what the decision (argument constraints) and the ticket see.
        var read = arguments is null ? PassportToolArguments.Empty : PassportToolArgumentReader.Read(arguments, self.JsonSchema);
        // An outer layer's decision is honoured for the same arguments only; changed ones are decided again for the agent it
        // decided for (not for this guard's own agent, which may be another, wider one).
        var decidedFor = PassportCallTicket.TryConsume(arguments, read, self, out var changed);
        if (decidedFor is null || changed)
        {
            var decideFor = decidedFor ?? context;
            var decision = await authorizer.AuthorizeAsync(decideFor, toolName, requiredScope, read, cancellationToken);
            if (!decision.IsAllowed)
            {
                if (terminateOnDenial && (loop ?? FunctionInvokingChatClient.CurrentContext) is { } current)
                {
                    current.Terminate = true;
                }

                return new PassportDenial(decision, authorizer.IncludeDetailedDenials);
            }

            decidedFor = decideFor!;
        }

        if (arguments is null)
        {
            using (PassportExecution.EnterToolBody())
            {
                return await body(state, cancellationToken);
            }
        }

        (arguments.Context ??= new Dictionary<object, object?>())[ExecutingAgentKey] = decidedFor;
        using (PassportCallTicket.Issue(arguments, read, decidedFor, inner))
        using (PassportExecution.EnterToolBody())
        {
            return await body(state, cancellationToken);
        }
    }
}
