namespace AgentPassport;

/// <summary>
/// The identity-provider (CSP) configuration read from the environment, as the CLI uses it:
/// <c>CSP_DISCOVERY_URL</c>, <c>CSP_CLIENT_ID</c>, <c>CSP_CLIENT_SECRET</c>, <c>CSP_REDIRECT_URI</c>, <c>CSP_SCOPES</c>,
/// <c>CSP_ACR_VALUES</c>, <c>CSP_ACR_MAPPING</c> and <c>AGENT_PASSPORT_ISSUER</c>. Empty values count as unset.
/// </summary>
public sealed record CspSettings
{
    /// <summary>The default issuer URL of Passports minted locally (<c>AGENT_PASSPORT_ISSUER</c>).</summary>
    public const string DefaultIssuerUrl = "https://issuer.local";

    /// <summary>Gets the discovery URL (<c>CSP_DISCOVERY_URL</c>); required for login and ID token validation.</summary>
    public Uri? DiscoveryUrl { get; init; }

    /// <summary>Gets the client id (<c>CSP_CLIENT_ID</c>); required for login and ID token validation.</summary>
    public string? ClientId { get; init; }

    /// <summary>Gets the client secret (<c>CSP_CLIENT_SECRET</c>), if any. Never log it.</summary>
    public string? ClientSecret { get; init; }

    /// <summary>Gets the loopback redirect URI (<c>CSP_REDIRECT_URI</c>).</summary>
    /// <value>Default <c>http://localhost:8765/callback</c>.</value>
    public Uri RedirectUri { get; init; } = new(LoopbackLoginOptions.DefaultRedirectUri);

    /// <summary>Gets the scopes to request (<c>CSP_SCOPES</c>, split on whitespace).</summary>
    /// <value>Default <c>openid</c>.</value>
    public IReadOnlyList<string> Scopes { get; init; } = ["openid"];

    /// <summary>
    /// Gets the <c>acr_values</c> sent in the authorization request (<c>CSP_ACR_VALUES</c>, space-separated, in order of
    /// preference), or null to send none. A certified provider puts <c>acr</c> in the ID token only when it is requested,
    /// and without <c>acr</c> Passports carry no assurance levels.
    /// </summary>
    /// <value>Default null.</value>
    public string? AcrValues { get; init; }

    /// <summary>Gets the ACR mapping name (<c>CSP_ACR_MAPPING</c>): <c>ial</c> (any case) or an assembly-qualified type name.</summary>
    /// <value>Default <c>ial</c>.</value>
    public string AcrMapping { get; init; } = AcrMappings.IalName;

    /// <summary>Gets the issuer URL of Passports minted locally (<c>AGENT_PASSPORT_ISSUER</c>).</summary>
    /// <value>Default <c>https://issuer.local</c>.</value>
    public string IssuerUrl { get; init; } = DefaultIssuerUrl;

    /// <summary>Reads the settings from environment variables (or another source).</summary>
    /// <param name="getVariable">Returns a variable's value; default <see cref="Environment.GetEnvironmentVariable(string)"/>.</param>
    /// <returns>The settings.</returns>
    /// <exception cref="ArgumentException">A URL variable is set but is not an absolute URL.</exception>
    public static CspSettings FromEnvironment(Func<string, string?>? getVariable = null)
    {
        getVariable ??= Environment.GetEnvironmentVariable;
        string? Get(string name) => getVariable(name) is { } v && !string.IsNullOrWhiteSpace(v) ? v.Trim() : null;
        var defaults = new CspSettings();
        return new CspSettings
        {
            DiscoveryUrl = Get("CSP_DISCOVERY_URL") is { } d ? ParseUrl(d, "CSP_DISCOVERY_URL") : null,
            ClientId = Get("CSP_CLIENT_ID"),
            ClientSecret = Get("CSP_CLIENT_SECRET"),
            RedirectUri = Get("CSP_REDIRECT_URI") is { } r ? ParseUrl(r, "CSP_REDIRECT_URI") : defaults.RedirectUri,
            Scopes = Get("CSP_SCOPES") is { } s ? s.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries) : defaults.Scopes,
            AcrValues = Get("CSP_ACR_VALUES") is { } a ? string.Join(' ', a.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)) : null,
            AcrMapping = Get("CSP_ACR_MAPPING") ?? defaults.AcrMapping,
            IssuerUrl = Get("AGENT_PASSPORT_ISSUER") ?? defaults.IssuerUrl,
        };
    }

    /// <summary>Creates the provider client for <see cref="DiscoveryUrl"/>.</summary>
    /// <param name="httpClient">The HTTP client, or null to let the provider client own one.</param>
    /// <param name="timeProvider">The clock, or null for the system clock.</param>
    /// <returns>The client; dispose it.</returns>
    /// <exception cref="InvalidOperationException"><c>CSP_DISCOVERY_URL</c> is not set.</exception>
    public OpenIdProviderClient CreateProviderClient(HttpClient? httpClient = null, TimeProvider? timeProvider = null) =>
        new(new OpenIdProviderClientOptions
        {
            DiscoveryUrl = DiscoveryUrl ?? throw new InvalidOperationException("CSP_DISCOVERY_URL is not set."),
            HttpClient = httpClient,
            TimeProvider = timeProvider ?? TimeProvider.System,
        });

    /// <summary>Creates an ID token validator for <see cref="ClientId"/> with the configured ACR mapping.</summary>
    /// <param name="provider">The provider client.</param>
    /// <returns>The validator.</returns>
    /// <exception cref="InvalidOperationException"><c>CSP_CLIENT_ID</c> is not set.</exception>
    /// <exception cref="ArgumentException"><c>CSP_ACR_MAPPING</c> names no loadable mapping.</exception>
    public IdTokenValidator CreateIdTokenValidator(OpenIdProviderClient provider) =>
        new(provider, new IdTokenValidatorOptions
        {
            ClientId = ClientId ?? throw new InvalidOperationException("CSP_CLIENT_ID is not set."),
            AcrMapping = AcrMappings.Resolve(AcrMapping),
        });

    /// <summary>Creates the loopback login options (redirect URI, scopes, <c>acr_values</c>, client secret).</summary>
    /// <returns>The options; set browser and timeout preferences on them.</returns>
    public LoopbackLoginOptions CreateLoginOptions() => new()
    {
        RedirectUri = RedirectUri,
        Scopes = Scopes,
        AcrValues = AcrValues,
        ClientSecret = ClientSecret,
    };

    /// <inheritdoc />
    public override string ToString() =>
        $"CspSettings {{ DiscoveryUrl = {DiscoveryUrl}, ClientId = {ClientId}, ClientSecret = {(ClientSecret is null ? "<unset>" : "<set>")}, RedirectUri = {RedirectUri}, Scopes = {string.Join(' ', Scopes)}, AcrValues = {AcrValues}, AcrMapping = {AcrMapping}, IssuerUrl = {IssuerUrl} }}";

    private static Uri ParseUrl(string value, string name) =>
        Uri.TryCreate(value, UriKind.Absolute, out var uri) ? uri : throw new ArgumentException($"{name} is not an absolute URL: '{value}'.", name);
}
