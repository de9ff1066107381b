using Microsoft.Extensions.AI;

namespace AgentPassport.Extensions.AI;

/// <content>The refusal of a wrong pipeline order: no function-invocation loop inside this client, or loop tools not guarded for the request's agent.</content>
public sealed partial class PassportChatClient
{
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
