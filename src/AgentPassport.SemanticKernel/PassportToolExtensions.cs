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
    /// A kernel function requires its resolved scope; any other function requires the scope mapped to its name, or is always denied.
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
        return functions.Select(f => (AITool)Guard(BindToKernel(f, kernel), filter, passport)).ToList();
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

        var allowed = kernel.Plugins.SelectMany(p => p.AsAIFunctions(kernel))
            .Where(f => PassportAuthorizer.Covers(verified, RequiredScope(f, filter)));
        return kernel.GuardAIFunctions(allowed);
    }

    private static PassportGuardedAIFunction Guard(AIFunction function, PassportFunctionInvocationFilter filter, PassportContext passport) =>
        function as PassportGuardedAIFunction is { } guarded && ReferenceEquals(guarded.Context, passport)
            ? guarded
            : new PassportGuardedAIFunction(function, filter.Authorizer, passport, RequiredScope(function, filter),
                function is KernelFunction kf ? ScopeRequirement.ToolName(kf) : null);

    // A kernel's own function invoked by an outside loop has no kernel (its Kernel parameter and services are missing):
    // bind it to the agent's kernel the way plugin.AsAIFunctions(kernel) does. Kernel filters still do not run; the guard does.
    private static AIFunction BindToKernel(AIFunction function, Kernel kernel)
    {
        if (function is not KernelFunction { PluginName: { } pluginName } kf
            || !kernel.Plugins.TryGetPlugin(pluginName, out var plugin)
            || !plugin.TryGetFunction(kf.Name, out var own)
            || !ReferenceEquals(own, kf))
        {
            return function;
        }

        return plugin.AsAIFunctions(kernel).OfType<KernelFunction>().First(f => f.Name == kf.Name);
    }

    private static string? RequiredScope(AIFunction function, PassportFunctionInvocationFilter filter) =>
        function is KernelFunction kf ? filter.GetRequiredScope(kf) : filter.GetRequiredScope(function.Name);

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
