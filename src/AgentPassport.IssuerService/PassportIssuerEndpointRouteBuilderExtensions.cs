using AgentPassport.IssuerService;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Microsoft.AspNetCore.Builder;

/// <summary>Publishes an Agent Passport issuer as a service (spec v1.1 §15).</summary>
public static class PassportIssuerEndpointRouteBuilderExtensions
{
    /// <summary>
    /// Maps the issuer's endpoints under <paramref name="prefix"/> (the path of the issuer URL, <c>""</c> for a host root):
    /// the RFC 8414 metadata, the JWKS (with <c>Cache-Control</c> from the rotation schedule), the RFC 8693 token-exchange
    /// endpoint and, when a revocation store is set, the revocation endpoint. The token and revocation endpoints are
    /// rate-limited per client address and refuse bodies over <see cref="PassportIssuerServiceOptions.MaxRequestBytes"/>.
    /// </summary>
    /// <param name="endpoints">The application.</param>
    /// <param name="options">The configuration; checked now.</param>
    /// <param name="prefix">The path prefix.</param>
    /// <returns>The group of the mapped endpoints (add authorization, CORS or more rate limiting to it).</returns>
    /// <exception cref="InvalidOperationException">The configuration cannot be secured; the message says what to set.</exception>
    public static RouteGroupBuilder MapAgentPassportIssuer(this IEndpointRouteBuilder endpoints, PassportIssuerServiceOptions options, string prefix = "")
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(prefix);
        var runtime = new IssuerServiceRuntime(options);
        var group = endpoints.MapGroup(prefix);
        group.MapGet(PassportIssuerEndpoints.Metadata, (HttpContext http) => KeySetHandler.WriteMetadataAsync(http, runtime));
        group.MapGet(PassportIssuerEndpoints.Jwks, (HttpContext http) => KeySetHandler.WriteJwksAsync(http, runtime));
        group.MapPost(PassportIssuerEndpoints.Token, (HttpContext http) => TokenExchangeHandler.HandleAsync(http, runtime))
            .AddEndpointFilter(runtime.RateLimit.InvokeAsync)
            .DisableAntiforgery();
        if (runtime.Revoker is not null)
        {
            group.MapPost(PassportIssuerEndpoints.Revocation, (HttpContext http) => RevocationHandler.HandleAsync(http, runtime))
                .AddEndpointFilter(runtime.RateLimit.InvokeAsync)
                .DisableAntiforgery();
        }

        return group;
    }
}
