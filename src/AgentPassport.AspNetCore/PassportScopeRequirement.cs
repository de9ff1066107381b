using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;

namespace AgentPassport.AspNetCore;

/// <summary>
/// An authorization requirement: the request's Passport must allow <see cref="Scope"/>. Decided by the one enforcement path
/// (<see cref="PassportAuthorizer.AuthorizeAsync"/>, with the request's route, query and JSON body values as the call's
/// arguments) and audited once per request, allowed or denied, naming the agent. Add it with
/// <c>RequirePassportScope("flights:book")</c> on an endpoint or <see cref="RequirePassportScopeAttribute"/> on a controller.
/// </summary>
public sealed class PassportScopeRequirement : IAuthorizationRequirement
{
    /// <summary>Initializes a requirement.</summary>
    /// <param name="scope">The concrete scope the endpoint requires (a pattern such as <c>flights:*</c> is refused).</param>
    /// <param name="authenticationScheme">The Agent Passport scheme whose options (audience, body cap) apply.</param>
    /// <exception cref="ArgumentException">The scope is not a concrete scope.</exception>
    public PassportScopeRequirement(string scope, string authenticationScheme = PassportHttpWire.ChallengeScheme)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(scope);
        ArgumentException.ThrowIfNullOrWhiteSpace(authenticationScheme);
        if (!PassportToolRequirement.TryParse(scope, out _, out var error))
        {
            throw new ArgumentException($"The required scope must be a concrete scope: {error}.", nameof(scope));
        }

        Scope = scope;
        AuthenticationScheme = authenticationScheme;
    }

    /// <summary>Gets the concrete scope the endpoint requires.</summary>
    public string Scope { get; }

    /// <summary>Gets the Agent Passport authentication scheme.</summary>
    public string AuthenticationScheme { get; }

    /// <inheritdoc />
    public override string ToString() => $"Agent Passport scope '{Scope}'";

    /// <summary>The scope the request's endpoint requires, for a challenge written before any decision; null when none.</summary>
    internal static string? Of(HttpContext http)
    {
        var endpoint = http.GetEndpoint();
        if (endpoint is null)
        {
            return null;
        }

        foreach (var item in endpoint.Metadata)
        {
            var requirements = item switch
            {
                AuthorizationPolicy policy => policy.Requirements,
                IAuthorizationRequirementData data => data.GetRequirements(),
                _ => [],
            };
            foreach (var requirement in requirements)
            {
                if (requirement is PassportScopeRequirement passport)
                {
                    return passport.Scope;
                }
            }
        }

        return null;
    }
}
