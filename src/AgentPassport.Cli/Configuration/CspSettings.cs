namespace AgentPassport.Cli;

/// <summary>The OpenID provider (CSP) settings that <c>login</c> and <c>issue</c> need.</summary>
internal sealed record CspSettings(
    Uri DiscoveryUrl,
    string ClientId,
    string? ClientSecret,
    Uri RedirectUri,
    IReadOnlyList<string> Scopes,
    string AcrMapping)
{
    public const string DefaultRedirectUri = "http://localhost:8765/callback";

    /// <summary>Reads the CSP_* variables.</summary>
    /// <exception cref="UsageException">A required variable is missing or a value is invalid; the message names it.</exception>
    public static CspSettings Load(CliEnvironment env)
    {
        var discovery = ParseUri(env.Require("CSP_DISCOVERY_URL"), "CSP_DISCOVERY_URL");
        string clientId = env.Require("CSP_CLIENT_ID");
        var redirect = ParseUri(env.GetNonEmpty("CSP_REDIRECT_URI") ?? DefaultRedirectUri, "CSP_REDIRECT_URI");
        string[] scopes = (env.GetNonEmpty("CSP_SCOPES") ?? "openid").Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        string mapping = (env.GetNonEmpty("CSP_ACR_MAPPING") ?? "ial").ToUpperInvariant() switch
        {
            "IAL" => "ial",
            _ => throw new UsageException($"Unknown CSP_ACR_MAPPING={env.GetNonEmpty("CSP_ACR_MAPPING")} (supported: ial)."),
        };
        return new CspSettings(discovery, clientId, env.GetNonEmpty("CSP_CLIENT_SECRET"), redirect, scopes, mapping);
    }

    private static Uri ParseUri(string value, string name) =>
        Uri.TryCreate(value, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp)
            ? uri
            : throw new UsageException($"{name} must be an absolute http(s) URL.");
}
