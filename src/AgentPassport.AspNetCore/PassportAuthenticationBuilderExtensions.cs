using AgentPassport;
using AgentPassport.AspNetCore;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Adds the Agent Passport authentication scheme.</summary>
public static class PassportAuthenticationBuilderExtensions
{
    /// <summary>
    /// Adds the Agent Passport scheme (<see cref="PassportHttpWire.ChallengeScheme"/>): requests are authenticated by the
    /// Passport, chain and proof they carry (<see cref="PassportHttpWire"/>), verified by the shared
    /// <see cref="PassportAuthorizer"/> (register it with <c>services.AddAgentPassport(…)</c>), and endpoints that call
    /// <c>RequirePassportScope(…)</c> or carry <see cref="RequirePassportScopeAttribute"/> are decided by it, once per request.
    /// </summary>
    /// <param name="builder">The authentication builder.</param>
    /// <param name="configure">Audience, the <c>Authorization</c> reservation, body cap.</param>
    /// <returns>The same builder.</returns>
    public static AuthenticationBuilder AddAgentPassport(this AuthenticationBuilder builder, Action<PassportAuthenticationOptions>? configure = null) =>
        builder.AddAgentPassport(PassportHttpWire.ChallengeScheme, configure);

    /// <summary>Adds the Agent Passport scheme under another name (see <see cref="AddAgentPassport(AuthenticationBuilder, Action{PassportAuthenticationOptions}?)"/>).</summary>
    /// <param name="builder">The authentication builder.</param>
    /// <param name="authenticationScheme">The scheme name; a <see cref="PassportScopeRequirement"/> names it to use its options.</param>
    /// <param name="configure">Audience, the <c>Authorization</c> reservation, body cap.</param>
    /// <returns>The same builder.</returns>
    public static AuthenticationBuilder AddAgentPassport(this AuthenticationBuilder builder, string authenticationScheme, Action<PassportAuthenticationOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(authenticationScheme);
        builder.Services.AddAuthorization();
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IAuthorizationHandler, PassportScopeAuthorizationHandler>());
        builder.Services.AddOptions<PassportAuthenticationOptions>(authenticationScheme)
            .Validate<IServiceProvider>((o, sp) => o.Authorizer is not null || sp.GetService<PassportAuthorizer>() is not null,
                "Agent Passport authentication needs a PassportAuthorizer: call services.AddAgentPassport(...), register one, or set PassportAuthenticationOptions.Authorizer.")
            .ValidateOnStart();
        return builder.AddScheme<PassportAuthenticationOptions, PassportAuthenticationHandler>(authenticationScheme, configure);
    }
}
