using AgentPassport.Identity.Tests.Support;
using AgentPassport.TestSupport.Interop;
using Xunit.Abstractions;

namespace AgentPassport.Identity.Tests.Provider;

/// <summary>
/// End to end against a real, certified OpenID provider: npm <c>oidc-provider</c> 9 run by <c>tests/interop/provider.mjs</c>,
/// with its login and consent interaction completed through its HTML forms.
/// </summary>
public sealed class OidcProviderInteropTests : IClassFixture<NodeOidcProviderFixture>
{
    private const string Ial2 = "http://idmanagement.gov/ns/assurance/ial/2";
    private readonly NodeOidcProviderFixture _fixture;
    private readonly ITestOutputHelper _output;

    public OidcProviderInteropTests(NodeOidcProviderFixture fixture, ITestOutputHelper output)
    {
        _fixture = fixture;
        _output = output;
    }

    [Fact]
    public async Task Discovery_RealProvider_IssuerMatchesAndEndpointsPresent()
    {
        if (SkippedByOptOut())
        {
            return;
        }

        using var client = Oidc.Client(_fixture.Provider.DiscoveryUrl);

        var metadata = await client.GetMetadataAsync();

        Assert.Equal(_fixture.Provider.Issuer, metadata.Issuer);
        Assert.NotNull(metadata.AuthorizationEndpoint);
        Assert.NotNull(metadata.TokenEndpoint);
        Assert.StartsWith(_fixture.Provider.Issuer, metadata.JwksUri.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Jwks_RealProvider_PublishesRs256AndEs256Keys()
    {
        if (SkippedByOptOut())
        {
            return;
        }

        using var client = Oidc.Client(_fixture.Provider.DiscoveryUrl);

        var keys = await client.GetSigningKeysAsync();

        Assert.Contains(keys, k => k.Algorithm == PassportAlgorithms.RS256);
        Assert.Contains(keys, k => k.Algorithm == PassportAlgorithms.ES256);
    }

    [Fact]
    public async Task Login_RealProvider_AcrRequested_FullFlowGivesVerifiableRootPassportWithLevels()
    {
        if (SkippedByOptOut())
        {
            return;
        }

        using var client = Oidc.Client(_fixture.Provider.DiscoveryUrl);
        var validator = Oidc.Validator(client, NodeOidcProvider.ClientId);

        var result = await LoginAsync(validator, "alice@example.gov", acrValues: Ial2);

        Assert.Equal("alice@example.gov", result.Identity.Subject);
        Assert.Equal(_fixture.Provider.Issuer, result.Identity.Issuer);
        Assert.Equal(Ial2, result.Identity.Acr);
        Assert.Equal(new AssuranceLevels(2, 2, 2), result.Identity.Levels);
        var verified = await Oidc.IssueAndVerifyAsync(validator, result.IdToken, TimeProvider.System, requireIal: 2);
        Assert.Equal("alice@example.gov", verified.Passport.Subject);
        Assert.Equal(2, verified.Passport.Ial);
        Assert.Equal("agent:alice", verified.Passport.AgentId);
    }

    [Fact]
    public async Task Login_RealProvider_AcrNotRequested_IdTokenHasNoAcr_PassportHasNoLevels()
    {
        if (SkippedByOptOut())
        {
            return;
        }

        // A default certified provider sends acr only when asked (here it would have IAL2 to give).
        using var client = Oidc.Client(_fixture.Provider.DiscoveryUrl);
        var validator = Oidc.Validator(client, NodeOidcProvider.ClientId);

        var result = await LoginAsync(validator, "alice@example.gov");

        Assert.Null(Jwt.Payload(result.IdToken)["acr"]);
        Assert.Null(result.Identity.Acr);
        Assert.Null(result.Identity.Levels);
        var verified = await Oidc.IssueAndVerifyAsync(validator, result.IdToken, TimeProvider.System);
        Assert.Null(verified.Passport.Ial);
        var floor = await Assert.ThrowsAsync<AgentPassportException>(() => Oidc.IssueAndVerifyAsync(validator, result.IdToken, TimeProvider.System, requireIal: 2));
        Assert.Equal(PassportErrorKind.IALInsufficient, floor.Kind);
    }

    [Fact]
    public async Task Login_RealProvider_TokenForAnotherClientIsRefused()
    {
        if (SkippedByOptOut())
        {
            return;
        }

        using var client = Oidc.Client(_fixture.Provider.DiscoveryUrl);
        var result = await LoginAsync(Oidc.Validator(client, NodeOidcProvider.ClientId), "bob@example.gov");

        var ex = await Assert.ThrowsAsync<AgentPassportException>(async () => await Oidc.Validator(client, "another-client").ValidateAsync(result.IdToken));

        Assert.Equal(PassportErrorKind.AudienceMismatch, ex.Kind);
    }

    [Fact]
    public async Task KeyRotation_ProviderRestartsWithNewKeys_ValidatorFetchesTheNewKid()
    {
        if (SkippedByOptOut())
        {
            return;
        }

        await using var provider = await NodeOidcProvider.StartNewAsync();
        using var client = Oidc.Client(provider.DiscoveryUrl);
        var validator = Oidc.Validator(client, NodeOidcProvider.ClientId);
        var before = await LoginAsync(validator, "alice@example.gov");
        string issuer = provider.Issuer;

        // Restart on the same port: same issuer, fresh signing keys.
        await provider.StopAsync();
        await provider.StartAsync();
        Assert.Equal(issuer, provider.Issuer);
        var after = await LoginAsync(validator, "alice@example.gov");

        Assert.NotEqual(Jwt.Header(before.IdToken)["kid"]!.GetValue<string>(), Jwt.Header(after.IdToken)["kid"]!.GetValue<string>());
        Assert.Equal("alice@example.gov", after.Identity.Subject);

        // The old key is gone from the provider's JWKS; the validator's refreshed cache no longer trusts it.
        var ex = await Assert.ThrowsAsync<AgentPassportException>(async () => await validator.ValidateAsync(before.IdToken));
        Assert.Equal(PassportErrorKind.KeyNotFound, ex.Kind);
    }

    private async Task<LoginResult> LoginAsync(IdTokenValidator validator, string user, string? acrValues = null)
    {
        using var browser = new BrowserSimulator();
        Task browsing = Task.CompletedTask;
        var login = new LoopbackLogin(validator, new LoopbackLoginOptions
        {
            RedirectUri = new Uri("http://127.0.0.1:0/callback"),
            Timeout = TimeSpan.FromSeconds(20),
            AcrValues = acrValues,
            ShowUrl = _ => { },
            OpenBrowser = url =>
            {
                browsing = Task.Run(() => browser.RunAsync(url, user));
                return true;
            },
        });
        try
        {
            return await login.LoginAsync();
        }
        finally
        {
            await browsing;
            _output.WriteLine($"browser finished with HTTP {(int)browser.LastStatus} after {browser.Pages.Count} page(s)");
        }
    }

    private bool SkippedByOptOut()
    {
        if (!_fixture.Skipped)
        {
            return false;
        }

        _output.WriteLine($"NOT RUN: {NodeOidcProvider.SkipVariable}=1 is set, so the oidc-provider interop test did nothing. CI never sets it.");
        return true;
    }
}
