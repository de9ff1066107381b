using System.Net;
using System.Text;
using System.Text.Json.Nodes;

namespace AgentPassport.Testing;

/// <summary>
/// An OpenID provider in memory, as an <see cref="HttpMessageHandler"/>: it answers the two public documents the
/// library reads from any provider — discovery and the JWKS — for the issuer and keys of a <see cref="MockIdTokenMinter"/>,
/// so <see cref="OpenIdProviderClient"/> and <see cref="IdTokenValidator"/> run their real code with no server and no
/// network. Needs no ASP.NET Core (unlike <see cref="MockOpenIdProvider"/>), so it loads in notebook hosts and
/// single-file apps. Any other request is a 404. Key rotations on the minter show up on the next JWKS fetch.
/// </summary>
/// <example>
/// <code>
/// using var minter = new MockIdTokenMinter("https://login.example.gov", "my-client");
/// using var provider = new InMemoryOpenIdProvider(minter);
/// using var client = provider.CreateClient();
/// var identity = await new IdTokenValidator(client, new IdTokenValidatorOptions { ClientId = "my-client" }).ValidateAsync(minter.Mint());
/// </code>
/// </example>
public sealed class InMemoryOpenIdProvider(MockIdTokenMinter minter) : HttpMessageHandler
{
    private int _requests;

    /// <summary>Gets the minter whose issuer and keys are served.</summary>
    public MockIdTokenMinter Tokens { get; } = minter ?? throw new ArgumentNullException(nameof(minter));

    /// <summary>Gets the discovery URL (the minter's issuer + <c>/.well-known/openid-configuration</c>).</summary>
    public Uri DiscoveryUrl => new(Tokens.Issuer.TrimEnd('/') + OpenIdProviderClientOptions.WellKnownPath);

    /// <summary>Gets how many requests were answered (any path).</summary>
    public int Requests => Volatile.Read(ref _requests);

    /// <summary>Creates a provider client that reads this provider (the handler stays owned by the caller).</summary>
    /// <param name="timeProvider">The client's clock, or null for the system clock.</param>
    /// <returns>The client; dispose it after use.</returns>
    public OpenIdProviderClient CreateClient(TimeProvider? timeProvider = null) => new(new OpenIdProviderClientOptions
    {
        DiscoveryUrl = DiscoveryUrl,
        HttpClient = new HttpClient(this, disposeHandler: false),
        TimeProvider = timeProvider ?? TimeProvider.System,
    });

    /// <inheritdoc />
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        Interlocked.Increment(ref _requests);
        string issuer = Tokens.Issuer.TrimEnd('/');
        string? url = request.RequestUri?.GetLeftPart(UriPartial.Path);
        string? body = request.Method != HttpMethod.Get ? null
            : url == issuer + OpenIdProviderClientOptions.WellKnownPath ? Discovery(issuer)
            : url == issuer + "/jwks" ? Tokens.GetJwksJson()
            : null;
        return Task.FromResult(body is null
            ? new HttpResponseMessage(HttpStatusCode.NotFound) { RequestMessage = request }
            : new HttpResponseMessage(HttpStatusCode.OK) { RequestMessage = request, Content = new StringContent(body, Encoding.UTF8, "application/json") });
    }

    private string Discovery(string issuer) => new JsonObject
    {
        ["issuer"] = Tokens.Issuer,
        ["jwks_uri"] = issuer + "/jwks",
        ["response_types_supported"] = new JsonArray("code"),
        ["subject_types_supported"] = new JsonArray("public"),
        ["id_token_signing_alg_values_supported"] = new JsonArray(Tokens.CurrentAlgorithm),
    }.ToJsonString();
}
