using AgentPassport.Extensions.AI;
using Microsoft.Extensions.AI;
using Microsoft.SemanticKernel;

namespace AgentPassport.SemanticKernel;

/// <summary>
/// Gives agents their own kernels carrying their own Passports: a first agent's kernel from a root Passport, and a
/// sub-agent's kernel from its parent agent's kernel with a child Passport (narrower scopes, its audience, TTL, purpose).
/// Each returned kernel is a <see cref="Kernel.Clone"/> (same plugins, services and filters; its own <see cref="Kernel.Data"/>),
/// so concurrent agents never see each other's Passport. Every mint and refusal is audited. Thread-safe.
/// </summary>
public sealed class PassportKernelDelegator
{
    private readonly PassportDelegator _delegator;

    /// <summary>Initializes the delegator.</summary>
    /// <param name="delegator">The shared minting path.</param>
    public PassportKernelDelegator(PassportDelegator delegator)
    {
        ArgumentNullException.ThrowIfNull(delegator);
        _delegator = delegator;
    }

    /// <summary>Mints a root Passport and returns a clone of <paramref name="template"/> carrying it (audience = the request's).</summary>
    /// <param name="template">A kernel that enforces Passports (its plugins and filters are shared with the clone).</param>
    /// <param name="request">What to grant the first agent.</param>
    /// <param name="cancellationToken">Cancels the audit write.</param>
    /// <returns>The agent's own kernel.</returns>
    /// <exception cref="InvalidOperationException">The template does not enforce Passports, or its chat client runs Microsoft.Extensions.AI's own function loop.</exception>
    /// <exception cref="AgentPassportException">The issuer refused the request, or a constraint names a parameter no function of the kernel requiring its scope has, or one of an incompatible type (<see cref="PassportErrorKind.IssuanceRefused"/>).</exception>
    public async Task<Kernel> CreateAgentKernelAsync(Kernel template, RootPassportRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(template);
        ArgumentNullException.ThrowIfNull(request);
        _ = template.GetPassportFilter();
        KernelFunctionLoops.EnsureSecurable(template);
        await EnsureConstraintsFitAsync(template, null, request.Constraints, request.AgentId, cancellationToken);
        var context = await _delegator.IssueRootAsync(request, cancellationToken);
        return template.Clone().SetPassport(context);
    }

    /// <summary>
    /// Mints a root Passport bound to <paramref name="holderKey"/> (spec v1.1 §11) and returns a clone of
    /// <paramref name="template"/> carrying it with the key: each call the agent makes carries a proof signed by that key,
    /// and its sub-agents (through <see cref="DelegateAsync"/>) are bound to keys of their own.
    /// </summary>
    /// <param name="template">A kernel that enforces Passports.</param>
    /// <param name="request">What to grant the first agent.</param>
    /// <param name="holderKey">The agent's holder key; the caller keeps ownership.</param>
    /// <param name="cancellationToken">Cancels the audit write.</param>
    /// <returns>The agent's own kernel.</returns>
    /// <exception cref="InvalidOperationException">The template does not enforce Passports, or its chat client runs Microsoft.Extensions.AI's own function loop.</exception>
    /// <exception cref="AgentPassportException">The issuer refused the request.</exception>
    public async Task<Kernel> CreateAgentKernelAsync(Kernel template, RootPassportRequest request, PassportHolderKey holderKey, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(template);
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(holderKey);
        _ = template.GetPassportFilter();
        KernelFunctionLoops.EnsureSecurable(template);
        var context = await _delegator.IssueRootAsync(request, holderKey, cancellationToken);
        return template.Clone().SetPassport(context);
    }

    /// <summary>
    /// Mints a child Passport for a sub-agent from the Passport <paramref name="parentKernel"/> carries, and returns the
    /// sub-agent's own kernel (a clone of the parent's) carrying it.
    /// </summary>
    /// <param name="parentKernel">The delegating agent's kernel.</param>
    /// <param name="request">What to grant; it can only narrow the parent.</param>
    /// <param name="cancellationToken">Cancels a key lookup or the audit write.</param>
    /// <returns>The sub-agent's kernel.</returns>
    /// <exception cref="InvalidOperationException">The parent kernel does not enforce Passports, or its chat client runs Microsoft.Extensions.AI's own function loop.</exception>
    /// <exception cref="AgentPassportException">
    /// The parent carries no Passport (<see cref="PassportErrorKind.NoPassport"/>) or no valid one, a scope is not covered (<see cref="PassportErrorKind.ScopeAttenuation"/>),
    /// or the issuer refused (<see cref="PassportErrorKind.IssuanceRefused"/>, also for a constraint naming a parameter no function of the kernel
    /// requiring its scope has, or one of an incompatible type: a typo must not leave an argument unconstrained).
    /// </exception>
    public async Task<Kernel> DelegateAsync(Kernel parentKernel, DelegationRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(parentKernel);
        ArgumentNullException.ThrowIfNull(request);
        _ = parentKernel.GetPassportFilter();
        KernelFunctionLoops.EnsureSecurable(parentKernel);
        var parent = parentKernel.GetPassport()
            ?? throw AgentPassportException.Create(PassportErrorKind.NoPassport, "the parent kernel carries no Passport to delegate from");
        await EnsureConstraintsFitAsync(parentKernel, parent, request.Constraints, request.AgentId, cancellationToken);
        var child = await _delegator.DelegateAsync(parent, request, cancellationToken);
        return parentKernel.Clone().SetPassport(child);
    }

    // The agent's kernel will have exactly these functions: a constraint must name one of their parameters, with a fitting type.
    private static ValueTask EnsureConstraintsFitAsync(Kernel kernel, PassportContext? parent, PassportConstraints constraints, string agentId, CancellationToken cancellationToken)
    {
        var filter = kernel.GetPassportFilter();
        var tools = kernel.Plugins.SelectMany(p => p).Select(f => ((AIFunction)f, filter.GetRequiredScope(f)));
        return PassportToolSchemaCheck.EnsureFitsAsync(constraints, tools, filter.Authorizer, parent, agentId, cancellationToken);
    }
}
