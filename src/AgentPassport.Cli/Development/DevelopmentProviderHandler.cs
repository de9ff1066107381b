using System.Net;
using System.Text;

namespace AgentPassport.Cli;

/// <summary>
/// Answers the development provider's discovery document and JWKS from memory, so the library's real
/// <see cref="OpenIdProviderClient"/> and <see cref="IdTokenValidator"/> check its ID tokens; nothing goes to the network.
/// </summary>
internal sealed class DevelopmentProviderHandler(string jwksJson) : HttpMessageHandler
{
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        string issuer = DevelopmentProvider.Issuer;
        string? body = request.Method == HttpMethod.Get && request.RequestUri?.GetLeftPart(UriPartial.Authority) == issuer
            ? request.RequestUri.AbsolutePath switch
            {
                OpenIdProviderClientOptions.WellKnownPath =>
                    $$"""{"issuer":"{{issuer}}","jwks_uri":"{{issuer}}/jwks","response_types_supported":["code"],"id_token_signing_alg_values_supported":["ES256"]}""",
                "/jwks" => jwksJson,
                _ => null,
            }
            : null;
        return Task.FromResult(body is null
            ? new HttpResponseMessage(HttpStatusCode.NotFound) { RequestMessage = request }
            : new HttpResponseMessage(HttpStatusCode.OK) { RequestMessage = request, Content = new StringContent(body, Encoding.UTF8, "application/json") });
    }
}
