using AgentPassport;
using AgentPassport.SemanticKernel;
using Microsoft.Extensions.DependencyInjection;

namespace Microsoft.SemanticKernel;

/// <summary>Registers Agent Passport enforcement on an <see cref="IKernelBuilder"/>.</summary>
public static class PassportKernelBuilderExtensions
{
    /// <summary>
    /// Registers Agent Passport in the builder's services — <c>services.AddAgentPassport(configure).AddSemanticKernel(configureKernel)</c> —
    /// so the built kernel runs the Passport filter. Give the kernel (or each agent's clone) its Passport with
    /// <c>kernel.UseAgentPassport(passport)</c>.
    /// </summary>
    /// <param name="builder">The kernel builder.</param>
    /// <param name="configure">Sets the policy (required) and other shared options.</param>
    /// <param name="configureKernel">Sets the Semantic Kernel scope map.</param>
    /// <returns>The same builder.</returns>
    public static IKernelBuilder AddAgentPassport(this IKernelBuilder builder, Action<AgentPassportOptions> configure, Action<PassportKernelOptions>? configureKernel = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddAgentPassport(configure).AddSemanticKernel(configureKernel);
        return builder;
    }
}
