using AgentPassport;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the Agent Passport services every adapter shares.</summary>
public static class AgentPassportServiceCollectionExtensions
{
    /// <summary>
    /// Registers the shared <see cref="PassportAuthorizer"/>; a <see cref="PassportVerifier"/> over the registered
    /// <see cref="TrustedIssuers"/> (else the one registered <see cref="IPassportKeyResolver"/>, for a policy trusting one
    /// issuer) with a verification cache of <see cref="AgentPassportOptions.VerificationCacheCapacity"/> entries; an
    /// in-memory audit sink; <see cref="TimeProvider.System"/>; the registered <see cref="IRevocationStore"/> and
    /// <see cref="IPassportReplayCache"/> when there are (a replay cache shared by several verifiers, such as Redis; else
    /// the authorizer's own bounded in-memory one); and the <see cref="PassportDelegator"/> (which needs a
    /// registered <see cref="PassportIssuer"/> when it is used). Everything is added with <c>TryAdd</c>: register your own
    /// sink, clock, verifier or authorizer first to replace the default.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="configure">Sets the policy (required) and other options; validated when the host starts.</param>
    /// <returns>A builder on which adapters add their own piece.</returns>
    public static AgentPassportBuilder AddAgentPassport(this IServiceCollection services, Action<AgentPassportOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configure);
        bool ownAuthorizer = !services.Any(d => d.ServiceType == typeof(PassportAuthorizer));
        var options = services.AddOptions<AgentPassportOptions>().Configure(configure);
        if (ownAuthorizer)
        {
            options.Validate(o => o.Policy is not null, "AgentPassportOptions.Policy is required.");
        }

        options.ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<InMemoryPassportAuditSink>();
        services.TryAddSingleton<IPassportAuditSink>(sp => sp.GetRequiredService<InMemoryPassportAuditSink>());
        services.TryAddSingleton(sp =>
        {
            int capacity = sp.GetRequiredService<IOptions<AgentPassportOptions>>().Value.VerificationCacheCapacity;

            // Several issuers: a registered TrustedIssuers gives each its own key set; else one resolver for the policy's one issuer.
            return sp.GetService<TrustedIssuers>() is { } issuers
                ? new PassportVerifier(issuers, sp.GetRequiredService<TimeProvider>(), capacity) { Revocations = sp.GetService<IRevocationStore>() }
                : new PassportVerifier(sp.GetRequiredService<IPassportKeyResolver>(), sp.GetRequiredService<TimeProvider>(), capacity) { Revocations = sp.GetService<IRevocationStore>() };
        });
        services.TryAddSingleton(sp =>
        {
            var o = sp.GetRequiredService<IOptions<AgentPassportOptions>>().Value;
            return new PassportAuthorizer(
                sp.GetRequiredService<PassportVerifier>(),
                new PassportAuthorizerOptions { Policy = o.Policy, IncludeDetailedDenials = o.IncludeDetailedDenials, ReplayCache = sp.GetService<IPassportReplayCache>() },
                sp.GetRequiredService<IPassportAuditSink>(),
                sp.GetRequiredService<TimeProvider>(),
                sp.GetService<ILogger<PassportAuthorizer>>());
        });
        services.TryAddSingleton(sp => new PassportDelegator(sp.GetRequiredService<PassportIssuer>(), sp.GetRequiredService<PassportAuthorizer>()));
        return new AgentPassportBuilder(services);
    }
}
