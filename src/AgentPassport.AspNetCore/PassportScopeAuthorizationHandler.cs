using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace AgentPassport.AspNetCore;

/// <summary>
/// Decides <see cref="PassportScopeRequirement"/>s through <see cref="PassportAuthorizer.AuthorizeAsync"/> (the one
/// enforcement path), once per request: the decision is kept in the request's feature, so a policy evaluated twice neither
/// decides nor audits twice. No credential, a malformed one, or an invalid one is decided (and audited) as a denial too.
/// </summary>
internal sealed class PassportScopeAuthorizationHandler(IOptionsMonitor<PassportAuthenticationOptions> options) : IAuthorizationHandler
{
    private const int MaxToolNameLength = 200;

    public async Task HandleAsync(AuthorizationHandlerContext context)
    {
        PassportScopeRequirement? first = null;
        bool several = false;
        foreach (var requirement in context.PendingRequirements)
        {
            if (requirement is PassportScopeRequirement passport)
            {
                several |= first is not null && (passport.Scope != first.Scope || passport.AuthenticationScheme != first.AuthenticationScheme);
                first ??= passport;
            }
        }

        if (first is null)
        {
            return;
        }

        // Endpoint routing hands the HttpContext as the resource (minimal APIs and MVC alike); without it nothing can be checked.
        if (context.Resource is not HttpContext http)
        {
            context.Fail(new AuthorizationFailureReason(this, "Agent Passport needs the HttpContext as the authorization resource."));
            return;
        }

        var o = options.Get(first.AuthenticationScheme);
        var feature = PassportAuthenticationHandler.Feature(http, o);
        feature.Decision ??= await DecideAsync(http, o, feature, first, several).ConfigureAwait(false);
        if (feature.Decision.IsAllowed && string.Equals(feature.Decision.RequiredScope, first.Scope, StringComparison.Ordinal))
        {
            foreach (var requirement in context.PendingRequirements.OfType<PassportScopeRequirement>().ToList())
            {
                context.Succeed(requirement);
            }

            return;
        }

        context.Fail(new AuthorizationFailureReason(this, feature.Decision.Error?.Name ?? "denied"));
    }

    private static async Task<PassportDecision> DecideAsync(HttpContext http, PassportAuthenticationOptions o, PassportRequestFeature feature, PassportScopeRequirement requirement, bool several)
    {
        var authorizer = o.Authorizer ?? http.RequestServices.GetRequiredService<PassportAuthorizer>();
        var tool = ToolName(http);
        var ct = http.RequestAborted;
        if (several)
        {
            return await authorizer.RecordDeniedAsync(feature.Context, tool,
                AgentPassportException.Create(PassportErrorKind.NoScopeRequirement, "the endpoint requires more than one Passport scope; require one").Error,
                feature.Verified, requirement.Scope, ct).ConfigureAwait(false);
        }

        // A malformed credential never reaches the verifier: its reading error is the decision.
        if (feature.Context is null && feature.AuthenticationError is { } malformed)
        {
            return await authorizer.RecordDeniedAsync(null, tool, malformed, null, requirement.Scope, ct).ConfigureAwait(false);
        }

        var arguments = await PassportRequestArguments.ReadAsync(http, o.MaxArgumentBodyBytes, ct).ConfigureAwait(false);
        return await authorizer.AuthorizeAsync(feature.Context, tool, requirement.Scope, arguments, ct).ConfigureAwait(false);
    }

    // The endpoint as the audit names it: "POST /flights/{id}/book" (the route template, never the caller's path text).
    private static string ToolName(HttpContext http)
    {
        var endpoint = http.GetEndpoint();
        var route = endpoint is RouteEndpoint r ? r.RoutePattern.RawText : endpoint?.DisplayName;
        var name = $"{http.Request.Method} {route ?? "<no route>"}";
        return name.Length <= MaxToolNameLength ? name : name[..MaxToolNameLength];
    }
}
