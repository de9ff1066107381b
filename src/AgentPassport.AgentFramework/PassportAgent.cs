using System.Runtime.CompilerServices;
using AgentPassport.Extensions.AI;
using Microsoft.Agents.AI;
using Microsoft.Extensions.AI;

namespace AgentPassport.AgentFramework;

/// <summary>
/// Marks an agent with its Passport so that <see cref="PassportAIAgentExtensions.GetPassport"/> and the delegation service
/// can find it (<see cref="AIAgent.GetService"/> of <see cref="PassportContext"/>), and makes it the executing agent for the
/// duration of each run (a Passport chat client inside then refuses to act for anyone else). The enforcement is the
/// function middleware that <c>UseAgentPassport</c> adds inside it.
/// </summary>
internal sealed class PassportAgent : DelegatingAIAgent
{
    public PassportAgent(AIAgent innerAgent, PassportContext context)
        : base(innerAgent)
    {
        Context = context;
        EnsureNoUnguardedAdditionalTools();
    }

    public PassportContext Context { get; }

    public override object? GetService(Type serviceType, object? serviceKey = null) =>
        serviceKey is null && serviceType == typeof(PassportContext) ? Context : base.GetService(serviceType, serviceKey);

    protected override async Task<AgentResponse> RunCoreAsync(IEnumerable<ChatMessage> messages, AgentSession? session = null, AgentRunOptions? options = null, CancellationToken cancellationToken = default)
    {
        EnsureNoUnguardedAdditionalTools();
        using (PassportExecution.Enter(Context))
        {
            return await InnerAgent.RunAsync(messages, session, options, cancellationToken);
        }
    }

    protected override async IAsyncEnumerable<AgentResponseUpdate> RunCoreStreamingAsync(IEnumerable<ChatMessage> messages, AgentSession? session = null, AgentRunOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        EnsureNoUnguardedAdditionalTools();
        IAsyncEnumerator<AgentResponseUpdate> updates;
        using (PassportExecution.Enter(Context))
        {
            updates = InnerAgent.RunStreamingAsync(messages, session, options, cancellationToken).GetAsyncEnumerator(cancellationToken);
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

    // The agent's function loop runs its AdditionalTools directly, past the function middleware: only tools already guarded
    // for this agent may be there.
    private void EnsureNoUnguardedAdditionalTools()
    {
        if (InnerAgent.GetService<FunctionInvokingChatClient>() is { AdditionalTools: { Count: > 0 } tools }
            && tools.Any(t => t is not AIFunction f || !PassportToolGuards.IsGuardedFor(f, Context)))
        {
            throw new InvalidOperationException(
                "This agent's FunctionInvokingChatClient has AdditionalTools that are not guarded for this agent's Passport; the loop would run " +
                "them past the Passport middleware. Give the tools to the agent (ChatClientAgent tools or ChatOptions.Tools) instead, or guard " +
                "them for this agent with GuardWithPassport(authorizer, context). No tool was run.");
        }
    }
}
