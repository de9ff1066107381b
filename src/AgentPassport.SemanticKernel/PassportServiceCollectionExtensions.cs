using AgentPassport;
using AgentPassport.SemanticKernel;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.SemanticKernel;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers Agent Passport enforcement for Semantic Kernel.</summary>
public static class PassportServiceCollectionExtensions
{
    /// <summary>
    /// Registers the Passport filter (as <see cref="IFunctionInvocationFilter"/> and <see cref="IAutoFunctionInvocationFilter"/>,
    /// so kernels built from this provider enforce Passports), the shared <see cref="PassportAuthorizer"/>, a
    /// <see cref="PassportVerifier"/> over the registered <see cref="TrustedIssuers"/> (or else the one registered
    /// <see cref="IPassportKeyResolver"/>, for a policy trusting one issuer) with a <see cref="VerifiedChainCache"/>
    /// of <see cref="AgentPassportOptions.VerificationCacheSize"/> entries (the authorizer's only cache), an in-memory audit sink, the registered <see cref="IRevocationStore"/> if any (checked on every call),
    /// <see cref="TimeProvider.System"/>, and the delegation service (which needs a registered <see cref="PassportIssuer"/>).
    /// Everything is added with <c>TryAdd</c>: register your own sink, clock or verifier first to replace the defaults.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="configure">Sets the policy (required) and other options; validated when the host starts.</param>
    /// <returns>A builder for further configuration.</returns>
    public static AgentPassportBuilder AddAgentPassport(this IServiceCollection services, Action<AgentPassportOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configure);
        services.AddOptions<AgentPassportOptions>()
            .Configure(configure)
            .Validate(o => o.Policy is not null, "AgentPassportOptions.Policy is required.")
            .Validate(o => o.FunctionScopes.All(p => IsConcrete(p.Value)), "AgentPassportOptions.FunctionScopes values must be concrete scopes.")
            .ValidateOnStart();

        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<InMemoryPassportAuditSink>();
        services.TryAddSingleton<IPassportAuditSink>(sp => sp.GetRequiredService<InMemoryPassportAuditSink>());
        services.TryAddSingleton(sp =>
        {
            int cacheSize = sp.GetRequiredService<IOptions<AgentPassportOptions>>().Value.VerificationCacheSize;
            var cache = cacheSize > 0 ? new VerifiedChainCache(cacheSize) : null;

            // Several issuers: a registered TrustedIssuers gives each its own key set; else one resolver for the policy's one issuer.
            // A registered IRevocationStore is consulted on every call, cache hits included.
            return sp.GetService<TrustedIssuers>() is { } issuers
                ? new PassportVerifier(issuers, sp.GetRequiredService<TimeProvider>(), cache) { Revocations = sp.GetService<IRevocationStore>() }
                : new PassportVerifier(sp.GetRequiredService<IPassportKeyResolver>(), sp.GetRequiredService<TimeProvider>(), cache) { Revocations = sp.GetService<IRevocationStore>() };
        });
        services.TryAddSingleton(sp =>
        {
            var o = sp.GetRequiredService<IOptions<AgentPassportOptions>>().Value;
            return new PassportAuthorizer(
                sp.GetRequiredService<PassportVerifier>(),
                new PassportAuthorizerOptions { Policy = o.Policy, IncludeDetailedDenials = o.IncludeDetailedDenials },
                sp.GetRequiredService<IPassportAuditSink>(),
                sp.GetRequiredService<TimeProvider>(),
                sp.GetService<ILogger<PassportAuthorizer>>());
        });

        if (!services.Any(d => d.ServiceType == typeof(PassportFunctionInvocationFilter)))
        {
            services.AddSingleton(sp => new PassportFunctionInvocationFilter(
                sp.GetRequiredService<PassportAuthorizer>(), sp.GetRequiredService<IOptions<AgentPassportOptions>>().Value.FunctionScopes));
            services.AddSingleton<IFunctionInvocationFilter>(sp => sp.GetRequiredService<PassportFunctionInvocationFilter>());
            services.AddSingleton<IAutoFunctionInvocationFilter>(sp => sp.GetRequiredService<PassportFunctionInvocationFilter>());
        }

        services.TryAddSingleton(sp => new PassportDelegator(sp.GetRequiredService<PassportIssuer>(), sp.GetRequiredService<PassportAuthorizer>()));
        services.TryAddSingleton<PassportDelegationService>();
        return new AgentPassportBuilder(services);
    }

    private static bool IsConcrete(string scope) => PassportScope.TryParse(scope, out var parsed) && !parsed.IsPattern;
}
