using AgentPassport.Extensions.AI;
using Microsoft.Agents.AI;
using Microsoft.Extensions.AI;

namespace AgentPassport.AgentFramework;

/// <summary>
/// Hands work to agents under Passports: a root Passport for a first agent, and, when an orchestrator hands work to a
/// sub-agent, a child Passport minted from the orchestrator's own (narrower scopes, its audience, TTL, purpose) through the
/// core <see cref="PassportDelegator"/>, which verifies the parent, refuses any widening and records every mint and refusal.
/// The returned agent enforces its Passport with <see cref="PassportAgentBuilderExtensions.UseAgentPassport"/>.
/// </summary>
public sealed class PassportAgentDelegator
{
    private readonly PassportDelegator _delegator;
    private readonly PassportAuthorizer _authorizer;

    /// <summary>Initializes the delegator.</summary>
    /// <param name="delegator">Mints and records Passports.</param>
    /// <param name="authorizer">The shared enforcement path the agents use.</param>
    public PassportAgentDelegator(PassportDelegator delegator, PassportAuthorizer authorizer)
    {
        ArgumentNullException.ThrowIfNull(delegator);
        ArgumentNullException.ThrowIfNull(authorizer);
        _delegator = delegator;
        _authorizer = authorizer;
    }

    /// <summary>Mints a root Passport and returns <paramref name="agent"/> acting under it.</summary>
    /// <param name="agent">The agent (without a Passport).</param>
    /// <param name="request">What to grant.</param>
    /// <param name="configure">Scope map, resolver and termination for the agent.</param>
    /// <param name="cancellationToken">Cancels the audit write.</param>
    /// <returns>The agent with its Passport.</returns>
    /// <exception cref="AgentPassportException">The issuer refused the request.</exception>
    public async Task<AIAgent> CreateAgentAsync(AIAgent agent, RootPassportRequest request, Action<PassportAgentOptions>? configure = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(agent);
        ArgumentNullException.ThrowIfNull(request);
        await EnsureConstraintsFitAsync(agent, null, request.Constraints, request.AgentId, configure, cancellationToken).ConfigureAwait(false);
        var context = await _delegator.IssueRootAsync(request, cancellationToken).ConfigureAwait(false);
        return agent.AsBuilder().UseAgentPassport(_authorizer, context, configure).Build();
    }

    /// <summary>
    /// Mints a child of <paramref name="parent"/>'s Passport and returns <paramref name="subAgent"/> acting under it.
    /// </summary>
    /// <param name="parent">The delegating agent (it must carry a Passport).</param>
    /// <param name="subAgent">The sub-agent (without a Passport).</param>
    /// <param name="request">What to grant; it can only narrow the parent.</param>
    /// <param name="configure">Scope map, resolver and termination for the sub-agent.</param>
    /// <param name="cancellationToken">Cancels a key lookup or the audit write.</param>
    /// <returns>The sub-agent with its Passport.</returns>
    /// <exception cref="InvalidOperationException">The parent agent carries no Passport.</exception>
    /// <exception cref="AgentPassportException">The parent does not verify, or the request widens it (<see cref="PassportErrorKind.ScopeAttenuation"/>).</exception>
    public Task<AIAgent> DelegateAsync(AIAgent parent, AIAgent subAgent, DelegationRequest request, Action<PassportAgentOptions>? configure = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(parent);
        var context = parent.GetPassport() ?? throw new InvalidOperationException("The delegating agent carries no Passport (give it one with UseAgentPassport).");
        return DelegateAsync(context, subAgent, request, configure, cancellationToken);
    }

    /// <summary>Mints a child of <paramref name="parent"/> and returns <paramref name="subAgent"/> acting under it.</summary>
    /// <param name="parent">The delegating agent's Passport.</param>
    /// <param name="subAgent">The sub-agent (without a Passport).</param>
    /// <param name="request">What to grant; it can only narrow the parent.</param>
    /// <param name="configure">Scope map, resolver and termination for the sub-agent.</param>
    /// <param name="cancellationToken">Cancels a key lookup or the audit write.</param>
    /// <returns>The sub-agent with its Passport.</returns>
    /// <exception cref="AgentPassportException">The parent does not verify, the request widens it, or a constraint names a parameter none of the sub-agent's tools requiring its scope has, or one of an incompatible type (<see cref="PassportErrorKind.IssuanceRefused"/>).</exception>
    public async Task<AIAgent> DelegateAsync(PassportContext parent, AIAgent subAgent, DelegationRequest request, Action<PassportAgentOptions>? configure = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(subAgent);
        ArgumentNullException.ThrowIfNull(request);
        await EnsureConstraintsFitAsync(subAgent, parent, request.Constraints, request.AgentId, configure, cancellationToken).ConfigureAwait(false);
        var child = await _delegator.DelegateAsync(parent, request, cancellationToken).ConfigureAwait(false);
        return subAgent.AsBuilder().UseAgentPassport(_authorizer, child, configure).Build();
    }

    // Where the agent's own tools are known (the agent's ChatOptions.Tools), a constraint must name one of their
    // parameters with a fitting type. Tools added per run are not known here; they are still enforced when called.
    private ValueTask EnsureConstraintsFitAsync(AIAgent agent, PassportContext? parent, PassportConstraints constraints, string agentId, Action<PassportAgentOptions>? configure, CancellationToken cancellationToken)
    {
        if (constraints.IsEmpty || agent.GetService<ChatOptions>()?.Tools is not { Count: > 0 } tools)
        {
            return ValueTask.CompletedTask;
        }

        var options = new PassportAgentOptions();
        configure?.Invoke(options);
        var resolver = PassportToolScopeResolver.Create(options.ToolScopes, options.ScopeResolver);
        var functions = tools.OfType<AIFunction>().Select(f => (f, resolver.Resolve(f) ?? PassportToolGuards.FindGuard(f)?.RequiredScope));
        return PassportToolSchemaCheck.EnsureFitsAsync(constraints, functions, _authorizer, parent, agentId, cancellationToken);
    }
}
