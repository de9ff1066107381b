using AgentPassport;
using AgentPassport.Extensions.AI;
using AgentPassport.SemanticKernel;
using Microsoft.Extensions.AI;

namespace Microsoft.SemanticKernel;

/// <summary>
/// Tool advertising and guarding for an agent's kernel: offer the model only what the kernel's Passport allows, and guard
/// kernel functions that run outside Semantic Kernel's filters (Microsoft.Extensions.AI loops, Agent Framework agents).
/// </summary>
public static class PassportToolExtensions
{
    /// <summary>
    /// Gets the kernel's functions that the kernel's Passport allows now (verified once, then each function's required scope
    /// checked). Offer these to the model; every call is still checked when it runs. Empty when the Passport does not verify.
    /// </summary>
    /// <param name="kernel">The agent's kernel (with <c>UseAgentPassport</c>).</param>
    /// <param name="cancellationToken">Cancels a key lookup.</param>
    /// <returns>The allowed functions.</returns>
    public static async Task<IReadOnlyList<KernelFunction>> GetPassportAllowedFunctionsAsync(this Kernel kernel, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(kernel);
        var filter = kernel.GetPassportFilter();
        var verified = await VerifyAsync(kernel, filter, cancellationToken);
        if (verified is null)
        {
            return [];
        }

        return kernel.Plugins.SelectMany(p => p)
            .Where(f => PassportAuthorizer.Covers(verified, filter.GetRequiredScope(f)))
            .ToList();
    }

    /// <summary>
    /// Creates <see cref="FunctionChoiceBehavior.Auto"/> over exactly the functions the kernel's Passport allows
    /// (<see cref="GetPassportAllowedFunctionsAsync"/>). With none allowed, no function is offered.
    /// </summary>
    /// <param name="kernel">The agent's kernel.</param>
    /// <param name="autoInvoke">Whether the kernel invokes the chosen functions.</param>
    /// <param name="cancellationToken">Cancels a key lookup.</param>
    /// <returns>The behavior to put in <see cref="PromptExecutionSettings.FunctionChoiceBehavior"/>.</returns>
    public static async Task<FunctionChoiceBehavior> CreatePassportFunctionChoiceAsync(this Kernel kernel, bool autoInvoke = true, CancellationToken cancellationToken = default)
    {
        var allowed = await kernel.GetPassportAllowedFunctionsAsync(cancellationToken);
        return allowed.Count == 0 ? FunctionChoiceBehavior.None([]) : FunctionChoiceBehavior.Auto(allowed, autoInvoke);
    }

    /// <summary>
    /// Wraps each function in a <see cref="PassportGuardedAIFunction"/> bound to the kernel's Passport, so any tool loop
    /// enforces it per call. Use this for <c>plugin.AsAIFunctions(kernel)</c> and for kernel functions given to a
    /// Microsoft.Extensions.AI <c>UseFunctionInvocation</c> loop or an Agent Framework agent: those paths skip kernel filters.
    /// A kernel function requires its resolved scope and is pinned to this kernel (its body and nested calls run on this
    /// agent's kernel, whichever kernel it was cloned with); any other function requires the scope mapped to its name, or the
    /// one attached with <c>WithPassportScope</c>, or the scope of a guard it carries, or is always denied. A function already guarded for this agent is kept as it is.
    /// </summary>
    /// <param name="kernel">The agent's kernel (with <c>UseAgentPassport</c>).</param>
    /// <param name="functions">The functions to guard.</param>
    /// <returns>The guarded functions, in order.</returns>
    /// <exception cref="InvalidOperationException">The kernel has no Passport filter or no Passport.</exception>
    public static IList<AITool> GuardAIFunctions(this Kernel kernel, IEnumerable<AIFunction> functions)
    {
        ArgumentNullException.ThrowIfNull(kernel);
        ArgumentNullException.ThrowIfNull(functions);
        var filter = kernel.GetPassportFilter();
        var passport = kernel.GetPassport() ?? throw new InvalidOperationException("This kernel carries no Passport.");
        return functions.Select(f => Guard(f, kernel, filter, passport)).ToList();
    }

    /// <summary>
    /// Gets the kernel's plugins as guarded <see cref="AIFunction"/>s for a tool loop outside the kernel, offering only the
    /// functions the Passport allows now. Each call is still checked when it runs.
    /// </summary>
    /// <param name="kernel">The agent's kernel (with <c>UseAgentPassport</c>).</param>
    /// <param name="cancellationToken">Cancels a key lookup.</param>
    /// <returns>The guarded, allowed tools.</returns>
    public static async Task<IList<AITool>> GetPassportToolsAsync(this Kernel kernel, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(kernel);
        var filter = kernel.GetPassportFilter();
        var verified = await VerifyAsync(kernel, filter, cancellationToken);
        if (verified is null)
        {
            return [];
        }

        var allowed = kernel.Plugins.SelectMany(p => p)
            .Where(f => PassportAuthorizer.Covers(verified, filter.GetRequiredScope(f)));
        return kernel.GuardAIFunctions(allowed);
    }

    // Guarded for this kernel's agent already: kept (one guard, one decision). Otherwise this agent's guard goes around it
    // (an inner guard of another agent is re-bound to this one for each call), and a kernel function is pinned to this
    // kernel so its body and nested calls run here, whatever kernel it was cloned with or the loop's services hold.
    private static AITool Guard(AIFunction function, Kernel kernel, PassportFunctionInvocationFilter filter, PassportContext passport)
    {
        if (PassportToolGuards.IsGuardedFor(function, passport))
        {
            return function;
        }

        var existing = PassportToolGuards.FindGuard(function);
        var scope = RequiredScope(function, filter) ?? existing?.RequiredScope;
        var toolName = function is KernelFunction kf ? ScopeRequirement.ToolName(kf) : existing?.ToolName;
        var body = function is KernelFunction own ? new KernelPinnedAIFunction(own, kernel) : function;
        return new PassportGuardedAIFunction(body, filter.Authorizer, passport, scope, toolName);
    }

    // A kernel function: its resolved scope. Any other function: the one order over the filter's scope map (mapped to its
    // name, else attached with WithPassportScope, else its [PassportScope]).
    private static string? RequiredScope(AIFunction function, PassportFunctionInvocationFilter filter) =>
        function is KernelFunction kf
            ? filter.GetRequiredScope(kf)
            : function.ResolvePassportRequirement(filter.Requirements)?.ToString();

    private static async Task<VerifiedPassport?> VerifyAsync(Kernel kernel, PassportFunctionInvocationFilter filter, CancellationToken cancellationToken)
    {
        if (kernel.GetPassport() is not { } passport)
        {
            return null;
        }

        var result = await filter.Authorizer.ValidateAsync(passport, cancellationToken);
        return result.Succeeded ? result.Passport : null;
    }
}
