using System.Collections.Concurrent;
using Microsoft.SemanticKernel;

namespace AgentPassport.Benchmarks;

/// <summary>
/// A minimal stand-in for the Semantic Kernel plugin's filter (branch <c>sk</c> had not landed when this was written):
/// before each function runs, the agent's Passport and chain go through the core enforcement path,
/// <see cref="PassportVerifier.ValidateAsync"/> with a <see cref="VerifiedChainCache"/>, against a policy requiring
/// <c>plugin:function</c>. Denied → the body does not run.
/// </summary>
public sealed class PassportGateFilter : IFunctionInvocationFilter
{
    private readonly PassportVerifier _verifier;
    private readonly string _token;
    private readonly IReadOnlyList<string> _chain;
    private readonly Func<KernelFunction, VerificationPolicy> _policyFor;

    // One policy per function, built once: the per-call path allocates nothing.
    private readonly ConcurrentDictionary<KernelFunction, VerificationPolicy> _policies = new(ReferenceEqualityComparer.Instance);

    public PassportGateFilter(PassportVerifier verifier, string token, IReadOnlyList<string> chain, VerificationPolicy basePolicy)
    {
        _verifier = verifier;
        _token = token;
        _chain = chain;
        _policyFor = f => basePolicy.WithRequiredScope($"{f.PluginName}:{f.Name}");
    }

    public int Denied { get; private set; }

    public async Task OnFunctionInvocationAsync(FunctionInvocationContext context, Func<FunctionInvocationContext, Task> next)
    {
        var policy = _policies.GetOrAdd(context.Function, _policyFor);
        var result = await _verifier.ValidateAsync(_token, policy, _chain).ConfigureAwait(false);
        if (!result.Succeeded)
        {
            Denied++;
            context.Result = new FunctionResult(context.Function, "denied by passport");
            return;
        }

        await next(context).ConfigureAwait(false);
    }
}

/// <summary>A filter that only calls <c>next</c>: what any filter costs in Semantic Kernel itself.</summary>
public sealed class NoOpFilter : IFunctionInvocationFilter
{
    public Task OnFunctionInvocationAsync(FunctionInvocationContext context, Func<FunctionInvocationContext, Task> next) => next(context);
}
