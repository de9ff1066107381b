using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;

namespace AgentPassport.Extensions.AI;

/// <summary>
/// The layer a Passport agent (<see cref="PassportToolCallGuard.GuardChatClient"/>) puts directly around its chat client on every run (through the run's
/// <c>ChatClientFactory</c>, inside anything the caller's own factory adds): every function tool that reaches the agent's
/// loop — the agent's tools, tools a context provider or the caller's factory added for this run — is guarded for this
/// agent, unless it already carries this agent's own guard.
/// </summary>
internal sealed class PassportRunGuardChatClient(IChatClient innerClient, PassportAuthorizer authorizer, PassportContext context, PassportToolScopeResolver resolver, bool terminateOnDenial)
    : DelegatingChatClient(innerClient)
{
    public override async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var guarded = Guard(options);
        using (PassportLoopGuard.Enter(GuardAtLoop))
        {
            return await base.GetResponseAsync(messages, guarded, cancellationToken);
        }
    }

    public override async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var guarded = Guard(options);
        await foreach (var update in PassportLoopGuard.EnumerateAsync(base.GetStreamingResponseAsync(messages, guarded, cancellationToken), GuardAtLoop, cancellationToken))
        {
            yield return update;
        }
    }

    // Tools that reach the agent's loop without passing through these options (added inside the agent's chat client, by a
    // ConfigureOptions layer or the loop itself) are guarded where the loop runs them.
    private AIFunction GuardAtLoop(AIFunction function) => (AIFunction)Guard(function);

    private ChatOptions? Guard(ChatOptions? options)
    {
        if (InnerClient.GetService(typeof(FunctionInvokingChatClient)) is FunctionInvokingChatClient loop)
        {
            PassportLoopGuard.Install(loop);
        }

        if (options?.Tools is not { Count: > 0 } tools)
        {
            return options;
        }

        var copy = options.Clone();
        copy.Tools = tools.Select(Guard).ToList();
        return copy;
    }

    private AITool Guard(AITool tool)
    {
        if (tool is not AIFunction function || PassportToolGuards.IsGuardedFor(function, context))
        {
            return tool;
        }

        var existing = PassportToolGuards.FindGuard(function);
        return new PassportGuardedAIFunction(function, authorizer, context, resolver.Resolve(function) ?? existing?.RequiredScope, existing?.ToolName)
        {
            TerminateOnDenial = terminateOnDenial,
        };
    }
}
