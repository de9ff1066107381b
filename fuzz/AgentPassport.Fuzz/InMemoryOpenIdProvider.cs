using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using AgentPassport;

/// <summary>
/// An OpenID provider that lives inside an <see cref="HttpMessageHandler"/>: discovery and a JWKS with one public key,
/// so the whole <see cref="IdTokenValidator"/> runs in the harness without a socket.
/// </summary>
internal sealed class InMemoryOpenIdProvider(string issuer, PassportVerificationKey key) : HttpMessageHandler
{
    public Uri DiscoveryUrl { get; } = new(issuer + OpenIdProviderClientOptions.WellKnownPath);

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        string path = request.RequestUri!.AbsolutePath;
        string? body = path switch
        {
            OpenIdProviderClientOptions.WellKnownPath => new JsonObject
            {
                ["issuer"] = issuer,
                ["jwks_uri"] = issuer + "/jwks",
                ["authorization_endpoint"] = issuer + "/authorize",
                ["token_endpoint"] = issuer + "/token",
                ["id_token_signing_alg_values_supported"] = new JsonArray("ES256"),
            }.ToJsonString(),
            "/jwks" => Jwks.Export([key]),
            _ => null,
        };
        var response = body is null
            ? new HttpResponseMessage(HttpStatusCode.NotFound)
            : new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        return Task.FromResult(response);
    }
}
