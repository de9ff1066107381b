using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace AgentPassport.Testing;

/// <summary>
/// An in-process OpenID provider on a loopback port (Kestrel), for tests, samples and notebooks: discovery, JWKS,
/// <c>/authorize</c> (approves at once as <see cref="Subject"/> with <see cref="Acr"/>, redirecting to the loopback
/// <c>redirect_uri</c> with a code and the <c>state</c>) and <c>/token</c> (checks the client, the redirect URI and the PKCE S256
/// verifier, then returns an ID token carrying the nonce). Keys rotate on demand; the provider can be stopped and
/// started again on the same port. Binds 127.0.0.1 only.
/// </summary>
public sealed class MockOpenIdProvider : IAsyncDisposable
{
    private readonly MockOpenIdProviderOptions _options;
    private readonly ConcurrentDictionary<string, PendingCode> _codes = new(StringComparer.Ordinal);
    private readonly LoopbackWebHost _host;
    private int _discoveryRequests;
    private int _jwksRequests;
    private int _tokenRequests;

    /// <summary>Initializes a provider; call <see cref="StartAsync"/>, or use <see cref="StartNewAsync"/>.</summary>
    /// <param name="options">The configuration, or null for defaults.</param>
    public MockOpenIdProvider(MockOpenIdProviderOptions? options = null)
    {
        _options = options ?? new MockOpenIdProviderOptions();
        _host = new LoopbackWebHost(
            app =>
            {
                app.MapGet("/.well-known/openid-configuration", Discovery);
                app.MapGet("/jwks", Jwks);
                app.MapGet("/authorize", Authorize);
                app.MapPost("/token", TokenAsync);
            },
            _options.Port);

        // The issuer is known once the port is: until StartAsync, minting throws "not started".
        Tokens = new MockIdTokenMinter(_options.ClientId, _options.TimeProvider, _options.Algorithm);
    }

    /// <summary>Gets the minter that holds the provider's keys; use it to mint tokens directly or rotate keys.</summary>
    public MockIdTokenMinter Tokens { get; }

    /// <summary>Gets the client id.</summary>
    public string ClientId => _options.ClientId;

    /// <summary>Gets the client secret, if the provider requires one.</summary>
    public string? ClientSecret => _options.ClientSecret;

    /// <summary>Gets or sets the subject the provider signs in through <c>/authorize</c>.</summary>
    /// <value>Default <c>alice@example.gov</c>.</value>
    public string Subject { get; set; } = "alice@example.gov";

    /// <summary>Gets or sets the <c>acr</c> of ID tokens from the login flow, or null to omit it.</summary>
    /// <value>Default IAL2.</value>
    public string? Acr { get; set; } = MockIdTokenOptions.Ial2;

    /// <summary>Gets the issuer, <c>http://127.0.0.1:&lt;port&gt;</c>.</summary>
    /// <exception cref="InvalidOperationException">The provider was never started (the port is not known yet).</exception>
    public string Issuer => Tokens.Issuer;

    /// <summary>Gets the discovery URL.</summary>
    public Uri DiscoveryUrl => new(Issuer + "/.well-known/openid-configuration");

    /// <summary>Gets whether the provider is serving.</summary>
    public bool IsRunning => _host.IsRunning;

    /// <summary>Gets how many discovery requests were served.</summary>
    public int DiscoveryRequests => Volatile.Read(ref _discoveryRequests);

    /// <summary>Gets how many JWKS requests were served.</summary>
    public int JwksRequests => Volatile.Read(ref _jwksRequests);

    /// <summary>Gets how many token requests were received.</summary>
    public int TokenRequests => Volatile.Read(ref _tokenRequests);

    /// <summary>Creates and starts a provider.</summary>
    /// <param name="options">The configuration, or null for defaults.</param>
    /// <param name="cancellationToken">Cancels the start.</param>
    /// <returns>The running provider.</returns>
    public static async Task<MockOpenIdProvider> StartNewAsync(MockOpenIdProviderOptions? options = null, CancellationToken cancellationToken = default)
    {
        var provider = new MockOpenIdProvider(options);
        await provider.StartAsync(cancellationToken).ConfigureAwait(false);
        return provider;
    }

    /// <summary>Starts serving (again), on the same port as before when there was a before.</summary>
    /// <param name="cancellationToken">Cancels the start.</param>
    /// <returns>A task that completes when the provider listens.</returns>
    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        await _host.StartAsync(cancellationToken).ConfigureAwait(false);
        Tokens.Issuer = $"http://127.0.0.1:{_host.Port}";
    }

    /// <summary>Stops serving; connections are refused until <see cref="StartAsync"/>.</summary>
    /// <param name="cancellationToken">Cancels the graceful stop.</param>
    /// <returns>A task that completes when the port is closed.</returns>
    public Task StopAsync(CancellationToken cancellationToken = default) => _host.StopAsync(cancellationToken);

    /// <summary>Mints an ID token for this provider's issuer and client.</summary>
    /// <param name="subject">The <c>sub</c>.</param>
    /// <param name="acr">The <c>acr</c>, or null to omit it.</param>
    /// <param name="lifetime">The lifetime; default 5 minutes.</param>
    /// <param name="nonce">The <c>nonce</c>, or null.</param>
    /// <returns>The ID token.</returns>
    /// <exception cref="InvalidOperationException">The provider is not started.</exception>
    public string MintIdToken(string subject = "alice@example.gov", string? acr = MockIdTokenOptions.Ial2, TimeSpan? lifetime = null, string? nonce = null) =>
        Tokens.Mint(new MockIdTokenOptions { Subject = subject, Acr = acr, Lifetime = lifetime ?? TimeSpan.FromMinutes(5), Nonce = nonce });

    /// <summary>Rotates the signing key.</summary>
    /// <param name="keepPrevious">Whether the JWKS keeps the old keys.</param>
    /// <returns>The new key id.</returns>
    public string RotateKey(bool keepPrevious = true) => Tokens.RotateKey(keepPrevious);

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await StopAsync().ConfigureAwait(false);
        Tokens.Dispose();
    }

    private IResult Discovery()
    {
        Interlocked.Increment(ref _discoveryRequests);
        string issuer = Issuer;
        var doc = new JsonObject
        {
            ["issuer"] = issuer,
            ["authorization_endpoint"] = issuer + "/authorize",
            ["token_endpoint"] = issuer + "/token",
            ["jwks_uri"] = issuer + "/jwks",
            ["response_types_supported"] = new JsonArray("code"),
            ["subject_types_supported"] = new JsonArray("public"),
            ["id_token_signing_alg_values_supported"] = new JsonArray(Tokens.CurrentAlgorithm),
            ["code_challenge_methods_supported"] = new JsonArray("S256"),
            ["scopes_supported"] = new JsonArray("openid"),
            ["acr_values_supported"] = new JsonArray(MockIdTokenOptions.Ial2),
            ["claims_supported"] = new JsonArray("sub", "iss", "aud", "exp", "iat", "nbf", "auth_time", "nonce", "acr", "azp"),
            ["token_endpoint_auth_methods_supported"] = new JsonArray(_options.ClientSecret is null ? "none" : "client_secret_post"),
        };
        return Results.Text(doc.ToJsonString(), "application/json");
    }

    private IResult Jwks()
    {
        Interlocked.Increment(ref _jwksRequests);
        return Results.Text(Tokens.GetJwksJson(), "application/json");
    }

    private IResult Authorize(HttpRequest request)
    {
        var q = request.Query;
        string? redirect = q["redirect_uri"];
        if (redirect is null || !Uri.TryCreate(redirect, UriKind.Absolute, out var redirectUri)
            || redirectUri.Scheme != Uri.UriSchemeHttp || !redirectUri.IsLoopback)
        {
            return Results.BadRequest("redirect_uri must be a loopback http URI");
        }

        string? error = q["client_id"] != _options.ClientId ? "unauthorized_client"
            : q["response_type"] != "code" ? "unsupported_response_type"
            : q["code_challenge_method"] != "S256" || string.IsNullOrEmpty(q["code_challenge"]) ? "invalid_request"
            : !(q["scope"].ToString() ?? string.Empty).Split(' ').Contains("openid") ? "invalid_scope"
            : null;
        string state = q["state"].ToString();
        if (error is not null)
        {
            return Results.Redirect($"{redirect}?error={error}&state={Uri.EscapeDataString(state)}");
        }

        string code = MockSigningKey.B64(RandomNumberGenerator.GetBytes(24));
        _codes[code] = new PendingCode(redirect, q["code_challenge"]!, q["nonce"], Subject, Acr, _options.TimeProvider.GetUtcNow() + TimeSpan.FromMinutes(1));
        return Results.Redirect($"{redirect}?code={code}&state={Uri.EscapeDataString(state)}");
    }

    private async Task<IResult> TokenAsync(HttpRequest request)
    {
        Interlocked.Increment(ref _tokenRequests);
        var form = await request.ReadFormAsync().ConfigureAwait(false);
        if (form["grant_type"] != "authorization_code")
        {
            return Error("unsupported_grant_type");
        }

        if (form["client_id"] != _options.ClientId
            || (_options.ClientSecret is not null && form["client_secret"] != _options.ClientSecret))
        {
            return Error("invalid_client", 401);
        }

        // A code is single-use: removed before it is checked.
        if (!_codes.TryRemove(form["code"].ToString(), out var pending) || pending.ExpiresAt < _options.TimeProvider.GetUtcNow())
        {
            return Error("invalid_grant");
        }

        string verifier = form["code_verifier"].ToString();
        string challenge = MockSigningKey.B64(SHA256.HashData(Encoding.ASCII.GetBytes(verifier)));
        if (form["redirect_uri"] != pending.RedirectUri || verifier.Length < 43
            || !CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(challenge), Encoding.ASCII.GetBytes(pending.Challenge)))
        {
            return Error("invalid_grant");
        }

        string idToken = Tokens.Mint(new MockIdTokenOptions { Subject = pending.Subject, Acr = pending.Acr, Nonce = pending.Nonce });
        var body = new JsonObject
        {
            ["access_token"] = MockSigningKey.B64(RandomNumberGenerator.GetBytes(24)),
            ["token_type"] = "Bearer",
            ["expires_in"] = 300,
            ["id_token"] = idToken,
        };
        return Results.Text(body.ToJsonString(), "application/json");
    }

    private static IResult Error(string error, int status = 400) =>
        Results.Text(new JsonObject { ["error"] = error }.ToJsonString(), "application/json", statusCode: status);

    private sealed record PendingCode(string RedirectUri, string Challenge, string? Nonce, string Subject, string? Acr, DateTimeOffset ExpiresAt);
}
