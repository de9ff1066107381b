using AgentPassport;
using AgentPassport.AgentFramework;
using AgentPassport.Extensions.AI;
using Microsoft.Extensions.AI;

namespace Microsoft.Agents.AI;

/// <summary>Gives an Agent Framework agent its own Passport.</summary>
public static class PassportAgentBuilderExtensions
{
    /// <summary>
    /// Enforces <paramref name="context"/> on every tool call the agent's function-invocation loop makes (the agent's own
    /// tools, tools added per run, kernel functions): before a tool runs, the shared <paramref name="authorizer"/> verifies
    /// the Passport and chain for the tool's scope and records the decision. Denied: the tool never runs, the loop stops and
    /// the model reads a <see cref="PassportDenial"/> (read them with <c>response.Messages.GetPassportDenials()</c>).
    /// A tool already guarded for this same agent is left to its guard (one decision); a tool guarded for another agent is
    /// decided for this agent, and its guard is re-bound to this agent for the call. The loop's
    /// <see cref="FunctionInvokingChatClient.AdditionalTools"/>, which bypass the middleware, must be guarded for this agent:
    /// otherwise building the agent (and each run) throws <see cref="InvalidOperationException"/>.
    /// </summary>
    /// <param name="builder">The agent's builder (<c>agent.AsBuilder()</c>), for an agent with a function-invocation loop such as <see cref="ChatClientAgent"/>.</param>
    /// <param name="authorizer">The shared enforcement path.</param>
    /// <param name="context">This agent's Passport and chain.</param>
    /// <param name="configure">Scope map, resolver and termination.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentException">A mapped scope is not a concrete scope.</exception>
    /// <exception cref="InvalidOperationException">When built: the agent's loop has AdditionalTools not guarded for this agent.</exception>
    public static AIAgentBuilder UseAgentPassport(this AIAgentBuilder builder, PassportAuthorizer authorizer, PassportContext context, Action<PassportAgentOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(authorizer);
        ArgumentNullException.ThrowIfNull(context);
        var options = new PassportAgentOptions();
        configure?.Invoke(options);
        var guard = new PassportToolCallGuard(authorizer, context, options.ToolScopes, options.ScopeResolver, options.TerminateOnDenial);

        return builder
            .Use((inner, _) => new PassportAgent(inner, guard))
            .Use((agent, invocation, next, cancellationToken) => guard.InvokeAsync(invocation, next, cancellationToken));
    }
}
