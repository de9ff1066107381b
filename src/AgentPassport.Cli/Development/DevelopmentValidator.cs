namespace AgentPassport.Cli;

/// <summary>The library's real <see cref="IdTokenValidator"/>, pointed at the development provider's keys (served from memory).</summary>
internal sealed class DevelopmentValidator : IDisposable
{
    private readonly OpenIdProviderClient _provider;

    public DevelopmentValidator(string jwksJson, CliEnvironment env)
    {
        IAcrMapping mapping;
        try
        {
            mapping = AcrMappings.Resolve(env.GetNonEmpty("CSP_ACR_MAPPING"));
        }
        catch (ArgumentException ex)
        {
            throw new UsageException($"Could not load CSP_ACR_MAPPING: {ex.Message}");
        }

        _provider = new OpenIdProviderClient(new OpenIdProviderClientOptions
        {
            DiscoveryUrl = new Uri(DevelopmentProvider.Issuer + OpenIdProviderClientOptions.WellKnownPath),
            HttpClient = new HttpClient(new DevelopmentProviderHandler(jwksJson)),
        });
        Validator = new IdTokenValidator(_provider, new IdTokenValidatorOptions { ClientId = DevelopmentProvider.ClientId, AcrMapping = mapping });
    }

    public IdTokenValidator Validator { get; }

    public void Dispose() => _provider.Dispose();
}
