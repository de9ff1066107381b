using AgentPassport;
using AgentPassport.SemanticKernel;

namespace Microsoft.SemanticKernel;

/// <summary>Attaches Agent Passport enforcement and an agent's Passport to a <see cref="Kernel"/>.</summary>
public static class PassportKernelExtensions
{
    /// <summary>The <see cref="Kernel.Data"/> key under which the kernel's <see cref="PassportContext"/> travels.</summary>
    public const string PassportDataKey = "AgentPassport.Context";

    /// <summary>
    /// Makes every function call on <paramref name="kernel"/> pass the Passport check, and gives the kernel the agent's Passport.
    /// The Passport travels with the kernel (in <see cref="Kernel.Data"/>, copied by <see cref="Kernel.Clone"/>), not in
    /// <see cref="KernelArguments"/>: use one kernel per agent.
    /// </summary>
    /// <param name="kernel">The agent's kernel.</param>
    /// <param name="authorizer">The shared enforcement path.</param>
    /// <param name="passport">
    /// The agent's Passport and chain; null leaves the kernel without one (every checked call is denied), for example a
    /// template kernel that <see cref="PassportKernelDelegator"/> clones for each agent.
    /// </param>
    /// <param name="toolScopes">Scopes by <c>"plugin.function"</c>, overriding attributes and defaults.</param>
    /// <returns>The same kernel.</returns>
    /// <exception cref="InvalidOperationException">
    /// The kernel already enforces Passports with another authorizer, or its chat client runs Microsoft.Extensions.AI's own
    /// function loop (<c>UseFunctionInvocation</c>), which would call kernel functions past the filter.
    /// </exception>
    public static Kernel UseAgentPassport(this Kernel kernel, PassportAuthorizer authorizer, PassportContext? passport, IEnumerable<KeyValuePair<string, string>>? toolScopes = null)
    {
        ArgumentNullException.ThrowIfNull(kernel);
        ArgumentNullException.ThrowIfNull(authorizer);
        return kernel.UseAgentPassport(authorizer, passport, () => new PassportFunctionInvocationFilter(authorizer, toolScopes), describeArgumentLimits: null);
    }

    /// <summary>
    /// Makes every function call on <paramref name="kernel"/> pass the Passport check, and gives the kernel the agent's
    /// Passport, with the options of <c>AddSemanticKernel</c> (the scope map, and whether offered functions state their
    /// argument limits: <see cref="PassportKernelOptions.DescribeArgumentLimits"/>).
    /// </summary>
    /// <param name="kernel">The agent's kernel.</param>
    /// <param name="authorizer">The shared enforcement path.</param>
    /// <param name="passport">The agent's Passport and chain; null leaves the kernel without one (every checked call is denied).</param>
    /// <param name="options">The options.</param>
    /// <returns>The same kernel.</returns>
    /// <exception cref="InvalidOperationException">
    /// The kernel already enforces Passports with another authorizer or with another <see cref="PassportKernelOptions.DescribeArgumentLimits"/>,
    /// or its chat client runs Microsoft.Extensions.AI's own function loop (<c>UseFunctionInvocation</c>).
    /// </exception>
    public static Kernel UseAgentPassport(this Kernel kernel, PassportAuthorizer authorizer, PassportContext? passport, PassportKernelOptions options)
    {
        ArgumentNullException.ThrowIfNull(kernel);
        ArgumentNullException.ThrowIfNull(authorizer);
        ArgumentNullException.ThrowIfNull(options);
        return kernel.UseAgentPassport(authorizer, passport, () => new PassportFunctionInvocationFilter(authorizer, options), options.DescribeArgumentLimits);
    }

    private static Kernel UseAgentPassport(this Kernel kernel, PassportAuthorizer authorizer, PassportContext? passport, Func<PassportFunctionInvocationFilter> create, bool? describeArgumentLimits)
    {
        KernelFunctionLoops.EnsureSecurable(kernel);
        var filter = FindFilter(kernel);
        if (filter is null)
        {
            filter = create();
            kernel.FunctionInvocationFilters.Insert(0, filter);
            kernel.AutoFunctionInvocationFilters.Insert(0, filter);
        }
        else if (!ReferenceEquals(filter.Authorizer, authorizer))
        {
            throw new InvalidOperationException("This kernel already enforces Agent Passports with another authorizer.");
        }
        else if (describeArgumentLimits is { } describe && describe != filter.DescribeArgumentLimits)
        {
            throw new InvalidOperationException("This kernel already enforces Agent Passports with another DescribeArgumentLimits setting: pass the options its filter was created with.");
        }

        if (passport is not null)
        {
            return kernel.SetPassport(passport);
        }

        SelfGuardedKernelFunctions.Bind(kernel, filter);
        return kernel;
    }

    /// <summary>
    /// Gives a kernel whose filter came from dependency injection (<c>AddAgentPassport</c>) the agent's Passport.
    /// </summary>
    /// <param name="kernel">The agent's kernel.</param>
    /// <param name="passport">The agent's Passport and chain.</param>
    /// <returns>The same kernel.</returns>
    /// <exception cref="InvalidOperationException">
    /// The kernel has no <see cref="PassportFunctionInvocationFilter"/>, or its chat client runs Microsoft.Extensions.AI's own
    /// function loop (<c>UseFunctionInvocation</c>), which would call kernel functions past the filter.
    /// </exception>
    public static Kernel UseAgentPassport(this Kernel kernel, PassportContext passport)
    {
        ArgumentNullException.ThrowIfNull(kernel);
        ArgumentNullException.ThrowIfNull(passport);
        _ = GetPassportFilter(kernel);
        KernelFunctionLoops.EnsureSecurable(kernel);
        return kernel.SetPassport(passport);
    }

    /// <summary>Gets the Passport the kernel carries, or null.</summary>
    /// <param name="kernel">The kernel.</param>
    /// <returns>The context, or null (every checked call is then denied).</returns>
    public static PassportContext? GetPassport(this Kernel kernel)
    {
        ArgumentNullException.ThrowIfNull(kernel);
        return kernel.Data.TryGetValue(PassportDataKey, out var value) ? value as PassportContext : null;
    }

    /// <summary>Gets the kernel's Passport filter.</summary>
    /// <param name="kernel">The kernel.</param>
    /// <returns>The filter.</returns>
    /// <exception cref="InvalidOperationException">The kernel has no <see cref="PassportFunctionInvocationFilter"/> in both filter lists.</exception>
    public static PassportFunctionInvocationFilter GetPassportFilter(this Kernel kernel)
    {
        ArgumentNullException.ThrowIfNull(kernel);
        return FindFilter(kernel)
            ?? throw new InvalidOperationException("This kernel does not enforce Agent Passports: call UseAgentPassport(authorizer, passport) or register AddAgentPassport() before building it.");
    }

    internal static Kernel SetPassport(this Kernel kernel, PassportContext passport)
    {
        kernel.Data[PassportDataKey] = passport;
        if (FindFilter(kernel) is { } filter)
        {
            // The kernel's own functions carry the check wherever their body runs, bound to this kernel (not to the one
            // it was cloned from).
            SelfGuardedKernelFunctions.Bind(kernel, filter);
        }

        return kernel;
    }

    private static PassportFunctionInvocationFilter? FindFilter(Kernel kernel)
    {
        var filter = kernel.FunctionInvocationFilters.OfType<PassportFunctionInvocationFilter>().FirstOrDefault();
        return filter is not null && kernel.AutoFunctionInvocationFilters.Contains(filter) ? filter : null;
    }
}
