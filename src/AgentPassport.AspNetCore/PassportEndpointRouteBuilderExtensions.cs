using System.Text.Json;
using AgentPassport;
using AgentPassport.AspNetCore;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Microsoft.AspNetCore.Builder;

/// <summary>Publishes the RFC 9728 protected-resource metadata of an Agent Passport resource.</summary>
public static class PassportEndpointRouteBuilderExtensions
{
    private static readonly string[] HeaderOnly = ["header"];

    /// <summary>
    /// Maps <c>GET /.well-known/oauth-protected-resource</c> (RFC 9728 §3): <c>resource</c> (this resource's audience),
    /// <c>authorization_servers</c> (the policy's trusted issuers), <c>bearer_methods_supported</c> (<c>header</c>) and
    /// <c>scopes_supported</c> (the scopes the endpoints require), built once from the scheme's options. Anonymous.
    /// </summary>
    /// <param name="endpoints">The route builder.</param>
    /// <param name="authenticationScheme">The Agent Passport scheme whose audience is published.</param>
    /// <returns>The endpoint's convention builder.</returns>
    public static IEndpointConventionBuilder MapPassportProtectedResourceMetadata(this IEndpointRouteBuilder endpoints, string authenticationScheme = PassportHttpWire.ChallengeScheme)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        byte[]? document = null;
        return endpoints.MapGet(PassportHttpWire.ProtectedResourceMetadataPath, (HttpContext http) =>
        {
            document ??= Build(http.RequestServices, endpoints, authenticationScheme);
            http.Response.Headers.CacheControl = "public, max-age=300";
            return Results.Bytes(document, "application/json");
        }).AllowAnonymous();
    }

    private static byte[] Build(IServiceProvider services, IEndpointRouteBuilder endpoints, string scheme)
    {
        var options = services.GetRequiredService<IOptionsMonitor<PassportAuthenticationOptions>>().Get(scheme);
        var policy = (options.Authorizer ?? services.GetRequiredService<PassportAuthorizer>()).Policy;
        var scopes = endpoints.DataSources.SelectMany(d => d.Endpoints)
            .SelectMany(e => e.Metadata)
            .SelectMany(m => m switch
            {
                Microsoft.AspNetCore.Authorization.AuthorizationPolicy p => p.Requirements,
                Microsoft.AspNetCore.Authorization.IAuthorizationRequirementData d => d.GetRequirements(),
                _ => [],
            })
            .OfType<PassportScopeRequirement>()
            .Select(r => r.Scope)
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal)
            .ToArray();
        return JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, object>
        {
            ["resource"] = options.Audience ?? policy.Audience,
            ["authorization_servers"] = policy.Issuers.Order(StringComparer.Ordinal).ToArray(),
            ["bearer_methods_supported"] = HeaderOnly,
            ["scopes_supported"] = scopes,
        });
    }
}
