using AgentPassport.AspNetCore;
using Microsoft.AspNetCore.Authorization;

namespace Microsoft.AspNetCore.Builder;

/// <summary>Requires a Passport scope on endpoints.</summary>
public static class PassportEndpointConventionBuilderExtensions
{
    /// <summary>
    /// Requires the request's Passport (the Agent Passport scheme) to allow <paramref name="scope"/>: decided by
    /// <see cref="AgentPassport.PassportAuthorizer.AuthorizeAsync"/> with the request's route, query and JSON body values as
    /// the call's arguments, audited once; refused with <c>401</c> (no or invalid credential) or <c>403</c> (not allowed).
    /// </summary>
    /// <typeparam name="TBuilder">The endpoint convention builder.</typeparam>
    /// <param name="builder">The endpoint (or group).</param>
    /// <param name="scope">The concrete scope required, for example <c>flights:book</c>.</param>
    /// <param name="authenticationScheme">The Agent Passport scheme name.</param>
    /// <returns>The same builder.</returns>
    /// <exception cref="ArgumentException">The scope is not a concrete scope.</exception>
    public static TBuilder RequirePassportScope<TBuilder>(this TBuilder builder, string scope, string authenticationScheme = PassportHttpWire.ChallengeScheme)
        where TBuilder : IEndpointConventionBuilder
    {
        ArgumentNullException.ThrowIfNull(builder);
        var requirement = new PassportScopeRequirement(scope, authenticationScheme);
        var policy = new AuthorizationPolicyBuilder(authenticationScheme).AddRequirements(requirement).Build();
        return builder.RequireAuthorization(policy);
    }
}
