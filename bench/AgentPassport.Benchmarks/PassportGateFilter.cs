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

    private LastPolicy? _last;

    public int Denied { get; private set; }

    public Task OnFunctionInvocationAsync(FunctionInvocationContext context, Func<FunctionInvocationContext, Task> next)
    {
        var policy = PolicyFor(context.Function);
        var pending = _verifier.ValidateAsync(_token, policy, _chain);

        // A cache hit completes synchronously: decide without an async state machine.
        if (pending.IsCompletedSuccessfully)
        {
            var result = pending.Result;
            return result.Succeeded ? next(context) : Deny(context);
        }

        return SlowAsync(pending, context, next);
    }

    private async Task SlowAsync(ValueTask<PassportValidationResult> pending, FunctionInvocationContext context, Func<FunctionInvocationContext, Task> next)
    {
        var result = await pending.ConfigureAwait(false);
        if (!result.Succeeded)
        {
            await Deny(context).ConfigureAwait(false);
            return;
        }

        await next(context).ConfigureAwait(false);
    }

    private VerificationPolicy PolicyFor(KernelFunction function)
    {
        // The last function's policy is remembered: consecutive calls of one tool skip the dictionary.
        var last = _last;
        if (last is not null && ReferenceEquals(last.Function, function))
        {
            return last.Policy;
        }

        var policy = _policies.GetOrAdd(function, _policyFor);
        _last = new LastPolicy(function, policy);
        return policy;
    }

    private Task Deny(FunctionInvocationContext context)
    {
        Denied++;
        context.Result = new FunctionResult(context.Function, "denied by passport");
        return Task.CompletedTask;
    }

    private sealed record LastPolicy(KernelFunction Function, VerificationPolicy Policy);
}

/// <summary>A filter that only calls <c>next</c>: what any filter costs in Semantic Kernel itself.</summary>
public sealed class NoOpFilter : IFunctionInvocationFilter
{
    public Task OnFunctionInvocationAsync(FunctionInvocationContext context, Func<FunctionInvocationContext, Task> next) => next(context);
}
