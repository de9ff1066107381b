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
    private readonly PassportToolCallGuard _guard;

    public PassportAgent(AIAgent innerAgent, PassportToolCallGuard guard)
        : base(innerAgent)
    {
        _guard = guard;
        EnsureNoUnguardedAdditionalTools();
    }

    public PassportContext Context => _guard.Context;

    public override object? GetService(Type serviceType, object? serviceKey = null) =>
        serviceKey is null && serviceType == typeof(PassportContext) ? Context : base.GetService(serviceType, serviceKey);

    protected override Task<AgentResponse> RunCoreAsync(IEnumerable<ChatMessage> messages, AgentSession? session = null, AgentRunOptions? options = null, CancellationToken cancellationToken = default)
    {
        EnsureNoUnguardedAdditionalTools();
        return _guard.RunAsync(ct => InnerAgent.RunAsync(messages, session, WithRunGuard(options), ct), cancellationToken);
    }

    protected override async IAsyncEnumerable<AgentResponseUpdate> RunCoreStreamingAsync(IEnumerable<ChatMessage> messages, AgentSession? session = null, AgentRunOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        EnsureNoUnguardedAdditionalTools();
        await foreach (var update in _guard.RunStreamingAsync(ct => InnerAgent.RunStreamingAsync(messages, session, WithRunGuard(options), ct), cancellationToken))
        {
            yield return update;
        }
    }

    // Puts the run guard directly around the agent's chat client, inside whatever the caller's own ChatClientFactory adds,
    // so tools added for this run are guarded too. The caller's options are copied, never modified.
    private AgentRunOptions? WithRunGuard(AgentRunOptions? options)
    {
        ChatClientAgentRunOptions run;
        if (options is ChatClientAgentRunOptions chat)
        {
            run = (ChatClientAgentRunOptions)chat.Clone();
        }
        else if (options is null || options.GetType() == typeof(AgentRunOptions))
        {
#pragma warning disable MEAI001 // ContinuationToken is experimental; copied as the Agent Framework's own middleware copies it.
            run = new ChatClientAgentRunOptions
            {
                ResponseFormat = options?.ResponseFormat,
                AllowBackgroundResponses = options?.AllowBackgroundResponses,
                ContinuationToken = options?.ContinuationToken,
                AdditionalProperties = options?.AdditionalProperties,
            };
#pragma warning restore MEAI001
        }
        else
        {
            return options;
        }

        var callerFactory = run.ChatClientFactory;
        run.ChatClientFactory = client =>
        {
            var guard = _guard.GuardChatClient(client);
            var built = callerFactory is null ? guard : callerFactory(guard);
            EnsureGuardInside(built, guard);
            return built;
        };
        return run;
    }

    // A caller's factory must build on the client it is given, and must not add a function-invocation loop around it
    // (that loop would run tools the guard never sees).
    private static void EnsureGuardInside(IChatClient built, IChatClient guard)
    {
        foreach (var layer in PassportChatPipeline.Layers(built))
        {
            if (ReferenceEquals(layer, guard))
            {
                return;
            }

            if (layer is FunctionInvokingChatClient)
            {
                throw new InvalidOperationException(
                    "The run's ChatClientFactory adds a function-invocation loop around the agent's chat client; that loop would run tools past the " +
                    "agent's Passport. Add tools through ChatOptions (ConfigureOptions) instead. No tool was run.");
            }
        }

        throw new InvalidOperationException(
            "The run's ChatClientFactory returned a chat client that does not wrap the one it was given, so the agent's Passport could not be " +
            "enforced on its tools. Build on the client passed to the factory (client.AsBuilder()...). No tool was run.");
    }

    // The agent's function loop runs its AdditionalTools directly, past the function middleware: only tools already guarded
    // for this agent may be there. Kept as a setup refusal although the run guard's loop guard would decide them during a
    // guarded run: that guard is active only on runs that get the run guard layer (not runs with another AgentRunOptions
    // type, see WithRunGuard) and only while the loop's FunctionInvoker stays chained; this check depends on neither.
    private void EnsureNoUnguardedAdditionalTools()
    {
        if (InnerAgent.GetService<FunctionInvokingChatClient>() is { AdditionalTools: { Count: > 0 } tools }
            && tools.Any(t => t is not AIFunction f || !_guard.IsGuarded(f)))
        {
            throw new InvalidOperationException(
                "This agent's FunctionInvokingChatClient has AdditionalTools that are not guarded for this agent's Passport; the loop would run " +
                "them past the Passport middleware. Give the tools to the agent (ChatClientAgent tools or ChatOptions.Tools) instead, or guard " +
                "them for this agent with GuardWithPassport(authorizer, context). No tool was run.");
        }
    }
}
