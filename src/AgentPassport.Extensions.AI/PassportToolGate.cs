using Microsoft.Extensions.AI;

namespace AgentPassport.Extensions.AI;

/// <summary>
/// What every Microsoft.Extensions.AI-based adapter (the guard, the chat client, the Agent Framework middleware) does around
/// one tool call: ask the shared <see cref="PassportAuthorizer"/>; allowed → run the body; denied → never run it, stop the
/// surrounding loop, and return a <see cref="PassportDenial"/>. The decision itself is made only by the authorizer.
/// </summary>
internal static class PassportToolGate
{
    public static async ValueTask<object?> InvokeAsync<TState>(
        PassportAuthorizer authorizer,
        PassportContext? context,
        string toolName,
        string? requiredScope,
        bool terminateOnDenial,
        FunctionInvocationContext? loop,
        Func<TState, CancellationToken, ValueTask<object?>> body,
        TState state,
        CancellationToken cancellationToken)
    {
        var decision = await authorizer.AuthorizeAsync(context, toolName, requiredScope, cancellationToken);
        if (decision.IsAllowed)
        {
            return await body(state, cancellationToken);
        }

        if (terminateOnDenial && (loop ?? FunctionInvokingChatClient.CurrentContext) is { } current)
        {
            current.Terminate = true;
        }

        return new PassportDenial(decision, authorizer.IncludeDetailedDenials);
    }
}
