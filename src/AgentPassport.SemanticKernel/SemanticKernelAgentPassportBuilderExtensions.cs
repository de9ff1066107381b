using AgentPassport;
using AgentPassport.SemanticKernel;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Microsoft.SemanticKernel;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Adds the Semantic Kernel piece to Agent Passport's registration.</summary>
public static class SemanticKernelAgentPassportBuilderExtensions
{
    /// <summary>
    /// Registers the Passport filter (as <see cref="IFunctionInvocationFilter"/> and <see cref="IAutoFunctionInvocationFilter"/>,
    /// so kernels built from this provider enforce Passports) and the <see cref="PassportKernelDelegator"/>, over the
    /// services <c>AddAgentPassport</c> registered. Registered once, however often this is called.
    /// </summary>
    /// <param name="builder">The builder <c>services.AddAgentPassport(...)</c> returned.</param>
    /// <param name="configure">Sets the scope map (validated when the host starts) and whether offered functions state their argument limits.</param>
    /// <returns>The same builder.</returns>
    public static AgentPassportBuilder AddSemanticKernel(this AgentPassportBuilder builder, Action<PassportKernelOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        services.AddOptions<PassportKernelOptions>()
            .Configure(o => configure?.Invoke(o))
            .Validate(o => o.ToolScopes.All(p => PassportToolRequirement.TryParse(p.Value, out _, out _)), "PassportKernelOptions.ToolScopes values must be concrete scopes.")
            .ValidateOnStart();

        if (!services.Any(d => d.ServiceType == typeof(PassportFunctionInvocationFilter)))
        {
            services.AddSingleton(sp => new PassportFunctionInvocationFilter(
                sp.GetRequiredService<PassportAuthorizer>(), sp.GetRequiredService<IOptions<PassportKernelOptions>>().Value));
            services.AddSingleton<IFunctionInvocationFilter>(sp => sp.GetRequiredService<PassportFunctionInvocationFilter>());
            services.AddSingleton<IAutoFunctionInvocationFilter>(sp => sp.GetRequiredService<PassportFunctionInvocationFilter>());
        }

        services.TryAddSingleton<PassportKernelDelegator>();
        return builder;
    }

    /// <summary>Maps a function (<c>"plugin.function"</c>) to the scope it requires (the scope map of <see cref="PassportKernelOptions.ToolScopes"/>).</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="function">The function key, <c>plugin.function</c>.</param>
    /// <param name="scope">A concrete scope.</param>
    /// <returns>The same builder.</returns>
    /// <exception cref="ArgumentException">The scope is malformed or a pattern.</exception>
    public static AgentPassportBuilder MapFunctionScope(this AgentPassportBuilder builder, string function, string scope)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(function);
        _ = PassportToolRequirement.Parse(scope, nameof(scope));
        builder.Services.Configure<PassportKernelOptions>(o => o.ToolScopes[function] = scope);
        return builder;
    }
}
