namespace AgentPassport.Cli;

/// <summary>
/// The CLI's calls into the OIDC layer (<see cref="IdTokenValidator"/>, <see cref="LoopbackLogin"/>), configured from
/// the CSP_* variables; a missing or invalid variable is a usage error that names it.
/// </summary>
internal sealed class CspClient : IDisposable
{
    private readonly OpenIdProviderClient _provider;

    private CspClient(OpenIdProviderClient provider, IdTokenValidator validator, CspSettings settings)
    {
        _provider = provider;
        Validator = validator;
        Settings = settings;
    }

    public IdTokenValidator Validator { get; }

    public CspSettings Settings { get; }

    /// <exception cref="UsageException">CSP_DISCOVERY_URL or CSP_CLIENT_ID is unset, a URL is invalid, or CSP_ACR_MAPPING cannot be loaded.</exception>
    public static CspClient Create(CliEnvironment env)
    {
        env.Require("CSP_DISCOVERY_URL");
        env.Require("CSP_CLIENT_ID");
        CspSettings settings;
        try
        {
            settings = CspSettings.FromEnvironment(env.Get);
        }
        catch (ArgumentException ex)
        {
            throw new UsageException(ex.ParamName is null ? ex.Message : ex.Message.Replace($" (Parameter '{ex.ParamName}')", string.Empty, StringComparison.Ordinal));
        }

        IAcrMapping mapping;
        try
        {
            mapping = AcrMappings.Resolve(settings.AcrMapping);
        }
        catch (ArgumentException ex)
        {
            throw new UsageException($"Could not load CSP_ACR_MAPPING={settings.AcrMapping}: {ex.Message}");
        }

        var provider = settings.CreateProviderClient();
        var validator = new IdTokenValidator(provider, new IdTokenValidatorOptions { ClientId = settings.ClientId!, AcrMapping = mapping });
        return new CspClient(provider, validator, settings);
    }

    /// <summary>Runs the PKCE loopback login; the result is already validated (nonce included).</summary>
    /// <param name="noBrowser">Only print the authorization URL.</param>
    /// <param name="acrValues">The <c>acr_values</c> to request instead of CSP_ACR_VALUES, or null.</param>
    /// <param name="cancellationToken">Cancels the login.</param>
    public Task<LoginResult> LoginAsync(bool noBrowser, string? acrValues, CancellationToken cancellationToken)
    {
        var options = Settings.CreateLoginOptions();
        if (!string.IsNullOrWhiteSpace(acrValues))
        {
            options.AcrValues = string.Join(' ', acrValues.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
        }

        if (noBrowser)
        {
            options.OpenBrowser = _ => false;
        }

        options.ShowUrl = url => Console.Error.WriteLine($"Open this URL to log in:\n  {url}");
        return new LoopbackLogin(Validator, options).LoginAsync(cancellationToken);
    }

    public void Dispose() => _provider.Dispose();
}
