namespace AgentPassport;

/// <summary>Configures a <see cref="LoopbackLogin"/> (authorization code + PKCE through a loopback redirect, RFC 8252).</summary>
public sealed class LoopbackLoginOptions
{
    /// <summary>The default redirect URI (<c>CSP_REDIRECT_URI</c>).</summary>
    public const string DefaultRedirectUri = "http://localhost:8765/callback";

    /// <summary>
    /// Gets or sets the redirect URI registered at the provider: <c>http://localhost:&lt;port&gt;/path</c> or
    /// <c>http://127.0.0.1:&lt;port&gt;/path</c>. Port 0 picks a free port (for providers that accept any loopback port).
    /// The callback is accepted only on exactly this path.
    /// </summary>
    /// <value>Default <c>http://localhost:8765/callback</c>.</value>
    public Uri RedirectUri { get; set; } = new(DefaultRedirectUri);

    /// <summary>Gets or sets the client secret (<c>CSP_CLIENT_SECRET</c>), sent to the token endpoint only when set.</summary>
    /// <value>Default null (a public client).</value>
    public string? ClientSecret { get; set; }

    /// <summary>Gets or sets the requested scopes (<c>CSP_SCOPES</c>); <c>openid</c> is added when missing.</summary>
    /// <value>Default <c>openid</c>.</value>
    public IReadOnlyList<string> Scopes { get; set; } = ["openid"];

    /// <summary>Gets or sets the <c>acr_values</c> to request, if any (space-separated).</summary>
    /// <value>Default null.</value>
    public string? AcrValues { get; set; }

    /// <summary>Gets or sets how long to wait for the browser to come back to the redirect URI.</summary>
    /// <value>Default 5 minutes; positive.</value>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// Gets or sets how the authorization URL is opened; returns whether a browser was started. Null uses the default:
    /// <c>open</c> on macOS, the shell on Windows, <c>xdg-open</c> on Linux with a display; otherwise nothing.
    /// </summary>
    /// <value>Default null.</value>
    public Func<Uri, bool>? OpenBrowser { get; set; }

    /// <summary>Gets or sets where the authorization URL is always shown, so it can be opened by hand. Null writes it to standard error.</summary>
    /// <value>Default null.</value>
    public Action<Uri>? ShowUrl { get; set; }
}
