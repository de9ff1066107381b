namespace AgentPassport.Identity.Tests.Settings;

public sealed class OpenIdProviderSettingsTests
{
    [Fact]
    public void FromEnvironment_NothingSet_UsesReferenceDefaults()
    {
        var settings = OpenIdProviderSettings.FromEnvironment(_ => null);

        Assert.Null(settings.DiscoveryUrl);
        Assert.Null(settings.ClientId);
        Assert.Null(settings.ClientSecret);
        Assert.Equal(new Uri("http://localhost:8765/callback"), settings.RedirectUri);
        Assert.Equal(["openid"], settings.Scopes);
        Assert.Equal("ial", settings.AcrMapping);
        Assert.Null(settings.AcrValues);
        Assert.Null(settings.CreateLoginOptions().AcrValues);
        Assert.Equal("https://issuer.local", settings.IssuerUrl);
    }

    [Fact]
    public void FromEnvironment_AllSet_ReadsEveryVariable()
    {
        var env = new Dictionary<string, string>
        {
            ["CSP_DISCOVERY_URL"] = "https://login.example.gov/.well-known/openid-configuration",
            ["CSP_CLIENT_ID"] = "my-client",
            ["CSP_CLIENT_SECRET"] = "s3cret",
            ["CSP_REDIRECT_URI"] = "http://127.0.0.1:9000/cb",
            ["CSP_SCOPES"] = " openid  profile\temail ",
            ["CSP_ACR_MAPPING"] = "IAL",
            ["CSP_ACR_VALUES"] = " http://idmanagement.gov/ns/assurance/ial/2 \n http://idmanagement.gov/ns/assurance/ial/1 ",
            ["AGENT_PASSPORT_ISSUER"] = "https://passports.example.com",
        };

        var settings = OpenIdProviderSettings.FromEnvironment(name => env.GetValueOrDefault(name));

        Assert.Equal(new Uri(env["CSP_DISCOVERY_URL"]), settings.DiscoveryUrl);
        Assert.Equal("my-client", settings.ClientId);
        Assert.Equal("s3cret", settings.ClientSecret);
        Assert.Equal(new Uri("http://127.0.0.1:9000/cb"), settings.RedirectUri);
        Assert.Equal(["openid", "profile", "email"], settings.Scopes);
        Assert.Equal("IAL", settings.AcrMapping);
        Assert.Equal("http://idmanagement.gov/ns/assurance/ial/2 http://idmanagement.gov/ns/assurance/ial/1", settings.AcrValues);
        Assert.Equal(settings.AcrValues, settings.CreateLoginOptions().AcrValues);
        Assert.Equal("https://passports.example.com", settings.IssuerUrl);
        Assert.DoesNotContain("s3cret", settings.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void FromEnvironment_EmptyValues_CountAsUnset()
    {
        var settings = OpenIdProviderSettings.FromEnvironment(_ => "   ");

        Assert.Null(settings.ClientId);
        Assert.Equal(["openid"], settings.Scopes);
    }

    [Fact]
    public void CreateProviderClient_NoDiscoveryUrl_NamesTheVariable()
    {
        var ex = Assert.Throws<InvalidOperationException>(() => new OpenIdProviderSettings().CreateProviderClient());

        Assert.Contains("CSP_DISCOVERY_URL", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void CreateIdTokenValidator_NoClientId_NamesTheVariable()
    {
        var settings = new OpenIdProviderSettings { DiscoveryUrl = new Uri("https://login.example.gov/.well-known/openid-configuration") };
        using var client = settings.CreateProviderClient();

        var ex = Assert.Throws<InvalidOperationException>(() => settings.CreateIdTokenValidator(client));

        Assert.Contains("CSP_CLIENT_ID", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void CreateIdTokenValidator_UnknownMapping_Throws()
    {
        var settings = new OpenIdProviderSettings
        {
            DiscoveryUrl = new Uri("https://login.example.gov/.well-known/openid-configuration"),
            ClientId = "c",
            AcrMapping = "Nope.Mapping, Nope",
        };
        using var client = settings.CreateProviderClient();

        Assert.Throws<ArgumentException>(() => settings.CreateIdTokenValidator(client));
    }

    [Theory]
    [InlineData("https://login.example.gov/")]
    [InlineData("http://login.example.gov/.well-known/openid-configuration")]
    [InlineData("https://login.example.gov/.well-known/openid-configuration?x=1")]
    public void ProviderClient_BadDiscoveryUrl_IsRefusedAtConstruction(string url)
    {
        Assert.Throws<ArgumentException>(() => new OpenIdProviderClient(new OpenIdProviderClientOptions { DiscoveryUrl = new Uri(url) }));
    }

    [Theory]
    [InlineData("none")]
    [InlineData("HS256")]
    [InlineData("ES384")]
    public void Validator_ForbiddenAlgorithm_IsRefusedAtConstruction(string alg)
    {
        using var client = new OpenIdProviderClient(new OpenIdProviderClientOptions { DiscoveryUrl = new Uri("https://login.example.gov/.well-known/openid-configuration") });

        Assert.Throws<ArgumentException>(() => new IdTokenValidator(client, new IdTokenValidatorOptions { ClientId = "c", AllowedAlgorithms = [alg] }));
    }

    [Fact]
    public void ProviderClient_ExpectedIssuer_IsDiscoveryUrlWithoutWellKnown()
    {
        using var client = new OpenIdProviderClient(new OpenIdProviderClientOptions { DiscoveryUrl = new Uri("https://login.example.gov/tenant/.well-known/openid-configuration") });

        Assert.Equal("https://login.example.gov/tenant", client.ExpectedIssuer);
    }
}
