using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace AgentPassport;

/// <summary>
/// Signs the principal in at the OpenID provider from a command line: authorization code flow with PKCE (S256),
/// <c>state</c> and <c>nonce</c>, and a loopback redirect (RFC 8252) accepted only on the registered path. The browser is
/// opened where possible and the URL is always shown. The ID token is validated (nonce included) before it is returned.
/// </summary>
public sealed class LoopbackLogin
{
    private readonly IdTokenValidator _validator;
    private readonly LoopbackLoginOptions _options;

    /// <summary>Initializes a login.</summary>
    /// <param name="validator">Validates the resulting ID token; its provider client does discovery and the token request.</param>
    /// <param name="options">The configuration.</param>
    public LoopbackLogin(IdTokenValidator validator, LoopbackLoginOptions options)
    {
        ArgumentNullException.ThrowIfNull(validator);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(options.RedirectUri, nameof(options.RedirectUri));
        ArgumentNullException.ThrowIfNull(options.Scopes, nameof(options.Scopes));
        if (options.Timeout <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.Timeout, "LoopbackLoginOptions.Timeout must be positive.");
        }

        _validator = validator;
        _options = options;
    }

    /// <summary>Runs the login.</summary>
    /// <param name="cancellationToken">Cancels the login.</param>
    /// <returns>The validated ID token and identity.</returns>
    /// <exception cref="AgentPassportException">
    /// <see cref="PassportErrorKind.LoginError"/> (redirect not on loopback, timed out, the provider returned an error,
    /// state mismatch, token request failed), <see cref="PassportErrorKind.DiscoveryError"/>, or any ID token validation kind.
    /// </exception>
    public async Task<LoginResult> LoginAsync(CancellationToken cancellationToken = default)
    {
        var redirect = _options.RedirectUri;
        CheckRedirect(redirect);
        var provider = _validator.Provider;
        var time = provider.TimeProvider;

        // Listen before anything is sent, so the port is known and the callback cannot be missed.
        LoopbackCallbackListener listener;
        try
        {
            listener = new LoopbackCallbackListener(redirect);
        }
        catch (SocketException ex)
        {
            throw Fail($"cannot listen on {redirect.GetLeftPart(UriPartial.Authority)}: {ex.SocketErrorCode}", ex);
        }

        using (listener)
        {
            var metadata = await provider.GetMetadataAsync(cancellationToken).ConfigureAwait(false);
            var authorize = metadata.AuthorizationEndpoint ?? throw Fail($"the discovery document of {metadata.Issuer} has no authorization_endpoint");
            var tokenEndpoint = metadata.TokenEndpoint ?? throw Fail($"the discovery document of {metadata.Issuer} has no token_endpoint");
            string verifier = Pkce.NewRandom(), state = Pkce.NewRandom(), nonce = Pkce.NewRandom();
            var redirectUri = listener.RedirectUri.AbsoluteUri;
            var url = BuildAuthorizationUrl(authorize, redirectUri, state, nonce, Pkce.Challenge(verifier));

            // The timeout runs from the moment the user is asked to sign in.
            using var timeout = new CancellationTokenSource(_options.Timeout, time);
            (_options.ShowUrl ?? DefaultShowUrl)(url);
            try
            {
                (_options.OpenBrowser ?? BrowserLauncher.TryOpen)(url);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // Opening a browser is best-effort; the URL was shown.
            }

            var query = await WaitAsync(listener, state, timeout.Token, cancellationToken).ConfigureAwait(false);
            var (idToken, accessToken) = await ExchangeAsync(tokenEndpoint, query["code"], redirectUri, verifier, time, cancellationToken).ConfigureAwait(false);
            var identity = await _validator.ValidateAsync(idToken, nonce, cancellationToken).ConfigureAwait(false);
            return new LoginResult(idToken, accessToken, identity);
        }
    }

    private static void CheckRedirect(Uri redirect)
    {
        bool ok = redirect.IsAbsoluteUri
            && redirect.Scheme == Uri.UriSchemeHttp
            && (redirect.Host == "localhost" || redirect.Host == "127.0.0.1")
            && !redirect.IsDefaultPort
            && string.IsNullOrEmpty(redirect.Query)
            && string.IsNullOrEmpty(redirect.Fragment)
            && string.IsNullOrEmpty(redirect.UserInfo);
        if (!ok)
        {
            throw Fail($"the redirect URI '{RemoteUrls.Clip(redirect.OriginalString)}' must be http://localhost:<port>/<path> or http://127.0.0.1:<port>/<path> (a loopback redirect, RFC 8252)");
        }
    }

    private Uri BuildAuthorizationUrl(Uri authorize, string redirectUri, string state, string nonce, string challenge)
    {
        var scopes = _options.Scopes.Contains("openid") ? _options.Scopes : ["openid", .. _options.Scopes];
        var parameters = new List<(string, string)>
        {
            ("response_type", "code"),
            ("client_id", _validator.ClientId),
            ("redirect_uri", redirectUri),
            ("scope", string.Join(' ', scopes)),
            ("state", state),
            ("nonce", nonce),
            ("code_challenge", challenge),
            ("code_challenge_method", "S256"),
        };
        if (!string.IsNullOrWhiteSpace(_options.AcrValues))
        {
            parameters.Add(("acr_values", _options.AcrValues));
        }

        var query = string.Join('&', parameters.Select(p => $"{Uri.EscapeDataString(p.Item1)}={Uri.EscapeDataString(p.Item2)}"));
        var builder = new UriBuilder(authorize);
        builder.Query = string.IsNullOrEmpty(builder.Query) ? query : $"{builder.Query.TrimStart('?')}&{query}";
        return builder.Uri;
    }

    private async Task<Dictionary<string, string>> WaitAsync(LoopbackCallbackListener listener, string state, CancellationToken timeout, CancellationToken cancellationToken)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout);
        Dictionary<string, string> query;
        try
        {
            query = await listener.WaitForCallbackAsync(q => Judge(q, state) is null ? (true, "Login complete. You can close this window.") : (false, "Login failed. Return to the terminal."), linked.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw Fail($"timed out after {_options.Timeout.TotalSeconds:0.###} s waiting for the browser to return to {listener.RedirectUri}", ex);
        }

        if (Judge(query, state) is { } problem)
        {
            throw Fail(problem);
        }

        return query;
    }

    /// <summary>Returns why a callback is refused, or null to accept it.</summary>
    private static string? Judge(Dictionary<string, string> query, string state)
    {
        if (query.ContainsKey(string.Empty))
        {
            return "the callback repeats a parameter";
        }

        if (!query.TryGetValue("state", out var got)
            || !CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(got), Encoding.UTF8.GetBytes(state)))
        {
            return "the callback's state does not match the login's (possible CSRF); the callback was ignored";
        }

        if (query.TryGetValue("error", out var error))
        {
            string description = query.TryGetValue("error_description", out var d) ? $": {RemoteUrls.Clip(d, 200)}" : string.Empty;
            return $"the provider returned error '{RemoteUrls.Clip(error, 60)}'{description}";
        }

        return query.TryGetValue("code", out var code) && code.Length > 0 ? null : "the callback has no authorization code";
    }

    private async Task<(string IdToken, string? AccessToken)> ExchangeAsync(Uri tokenEndpoint, string code, string redirectUri, string verifier, TimeProvider time, CancellationToken cancellationToken)
    {
        var form = new List<KeyValuePair<string, string>>
        {
            new("grant_type", "authorization_code"),
            new("code", code),
            new("redirect_uri", redirectUri),
            new("client_id", _validator.ClientId),
            new("code_verifier", verifier),
        };
        if (!string.IsNullOrEmpty(_options.ClientSecret))
        {
            form.Add(new("client_secret", _options.ClientSecret));
        }

        var provider = _validator.Provider;
        using var timeout = new CancellationTokenSource(provider.RequestTimeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        string body;
        int status;
        try
        {
            // Not retried: an authorization code is single-use.
            using var content = new FormUrlEncodedContent(form);
            using var response = await provider.HttpClient.PostAsync(tokenEndpoint, content, linked.Token).ConfigureAwait(false);
            status = (int)response.StatusCode;
            body = await response.Content.ReadAsStringAsync(linked.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw Fail($"the token request to {tokenEndpoint} timed out after {provider.RequestTimeout.TotalMilliseconds:0} ms", ex);
        }
        catch (HttpRequestException ex)
        {
            throw Fail($"the token request to {tokenEndpoint} failed: {RemoteUrls.Clip(ex.Message, 200)}", ex);
        }

        try
        {
            using var doc = JsonDocument.Parse(body);
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw Fail($"the token endpoint {tokenEndpoint} answered HTTP {status} with a non-object");
            }

            if (!StrictJson.IsDecodable(root))
            {
                throw Fail($"the token endpoint {tokenEndpoint} answered HTTP {status} with a string that is not valid Unicode text");
            }

            if (status is < 200 or > 299)
            {
                string error = root.TryGetProperty("error", out var e) && e.ValueKind == JsonValueKind.String ? e.GetString()! : "unknown";
                throw Fail($"the token endpoint {tokenEndpoint} answered HTTP {status} (error '{RemoteUrls.Clip(error, 60)}')");
            }

            if (!root.TryGetProperty("id_token", out var id) || id.ValueKind != JsonValueKind.String)
            {
                throw Fail($"the token endpoint {tokenEndpoint} returned no id_token");
            }

            string? access = root.TryGetProperty("access_token", out var a) && a.ValueKind == JsonValueKind.String ? a.GetString() : null;
            return (id.GetString()!, access);
        }
        catch (Exception ex) when (ex is JsonException or ArgumentException)
        {
            throw Fail($"the token endpoint {tokenEndpoint} answered HTTP {status} with invalid JSON", ex);
        }
    }

    private static void DefaultShowUrl(Uri url) => Console.Error.WriteLine($"Open this URL in a browser to sign in:{Environment.NewLine}{url.AbsoluteUri}");

    private static AgentPassportException Fail(string message, Exception? inner = null) =>
        AgentPassportException.Create(PassportErrorKind.LoginError, $"login failed: {message}", inner);
}
