using System.Net;
using AgentPassport.Identity.Tests.Support;
using AgentPassport.Testing;
using Microsoft.Extensions.Time.Testing;

namespace AgentPassport.Identity.Tests.Login;

public sealed class LoopbackLoginTests : IAsyncLifetime, IDisposable
{
    private static readonly TimeSpan Quick = TimeSpan.FromSeconds(5);
    private readonly LoginDriver _browser = new();
    private MockOpenIdProvider _op = null!;
    private OpenIdProviderClient _client = null!;
    private IdTokenValidator _validator = null!;

    public async Task InitializeAsync()
    {
        _op = await MockOpenIdProvider.StartNewAsync();
        _client = Oidc.Client(_op.DiscoveryUrl);
        _validator = Oidc.Validator(_client, _op.ClientId);
    }

    public void Dispose() => _browser.Dispose();

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _op.DisposeAsync();
    }

    [Theory]
    [InlineData("http://127.0.0.1:0/callback")]
    [InlineData("http://localhost:0/cb/login")]
    public async Task Login_FullFlow_ReturnsValidatedTokenThatBecomesAVerifiablePassport(string redirect)
    {
        var login = new LoopbackLogin(_validator, _browser.Options(_browser.FollowAsync, redirect));

        var result = await login.LoginAsync();
        await _browser.Browsing;

        Assert.Equal("alice@example.gov", result.Identity.Subject);
        Assert.Equal(new AssuranceLevels(2, 2, 2), result.Identity.Levels);
        Assert.NotNull(result.AccessToken);
        Assert.Equal([HttpStatusCode.OK], _browser.Statuses);
        Assert.Equal(1, _op.TokenRequests);
        Assert.DoesNotContain(result.IdToken, result.ToString(), StringComparison.Ordinal);
        var verified = await Oidc.IssueAndVerifyAsync(_validator, result.IdToken, TimeProvider.System, requireIal: 2);
        Assert.Equal("alice@example.gov", verified.Passport.Subject);
    }

    [Fact]
    public async Task Login_AuthorizationUrl_CarriesPkceS256StateAndNonce()
    {
        var login = new LoopbackLogin(_validator, _browser.Options(_browser.FollowAsync));

        await login.LoginAsync();
        var url = await _browser.Url;

        Assert.Equal("code", LoginDriver.Query(url, "response_type"));
        Assert.Equal("S256", LoginDriver.Query(url, "code_challenge_method"));
        Assert.Equal(43, LoginDriver.Query(url, "code_challenge").Length);
        Assert.True(LoginDriver.Query(url, "state").Length >= 43);
        Assert.True(LoginDriver.Query(url, "nonce").Length >= 43);
        Assert.Equal("openid", LoginDriver.Query(url, "scope"));
    }

    [Fact]
    public async Task Login_ConfidentialClient_SendsSecret()
    {
        await using var op = await MockOpenIdProvider.StartNewAsync(new MockOpenIdProviderOptions { ClientSecret = "s3cret" });
        using var client = Oidc.Client(op.DiscoveryUrl);
        var validator = Oidc.Validator(client, op.ClientId);
        var withSecret = _browser.Options(_browser.FollowAsync);
        withSecret.ClientSecret = "s3cret";

        var result = await new LoopbackLogin(validator, withSecret).LoginAsync();
        Assert.Equal("alice@example.gov", result.Identity.Subject);

        using var other = new LoginDriver();
        var ex = await Oidc.FailsWithin(PassportErrorKind.LoginError, Quick, () => new LoopbackLogin(validator, other.Options(other.FollowAsync)).LoginAsync());
        Assert.Contains("invalid_client", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("http://example.com:8765/callback")]
    [InlineData("https://localhost:8765/callback")]
    [InlineData("http://localhost/callback")]
    [InlineData("http://10.0.0.1:8765/callback")]
    [InlineData("http://localhost:8765/callback?x=1")]
    public async Task Login_NonLoopbackRedirect_LoginErrorMentioningLocalhost(string redirect)
    {
        var login = new LoopbackLogin(_validator, _browser.Options(_browser.FollowAsync, redirect));

        var ex = await Oidc.FailsWithin(PassportErrorKind.LoginError, Quick, () => login.LoginAsync());

        Assert.Contains("localhost", ex.Message, StringComparison.Ordinal);
        Assert.Equal(0, _op.DiscoveryRequests);
    }

    [Fact]
    public async Task Login_CallbackWithWrongState_LoginErrorAndNoTokenRequest()
    {
        var login = new LoopbackLogin(_validator, _browser.Options(url => _browser.GetAsync($"{LoginDriver.Redirect(url)}?code=stolen&state=forged")));

        var ex = await Oidc.FailsWithin(PassportErrorKind.LoginError, Quick, () => login.LoginAsync());
        await _browser.Browsing;

        Assert.Contains("state", ex.Message, StringComparison.Ordinal);
        Assert.Equal([HttpStatusCode.BadRequest], _browser.Statuses);
        Assert.Equal(0, _op.TokenRequests);
    }

    [Fact]
    public async Task Login_CallbackErrorParameter_LoginErrorNamingIt()
    {
        var login = new LoopbackLogin(_validator, _browser.Options(url =>
            _browser.GetAsync($"{LoginDriver.Redirect(url)}?error=access_denied&error_description=User%20said%20no&state={LoginDriver.Query(url, "state")}")));

        var ex = await Oidc.FailsWithin(PassportErrorKind.LoginError, Quick, () => login.LoginAsync());

        Assert.Contains("access_denied", ex.Message, StringComparison.Ordinal);
        Assert.Contains("User said no", ex.Message, StringComparison.Ordinal);
        Assert.Equal(0, _op.TokenRequests);
    }

    [Fact]
    public async Task Login_CallbackOnOtherPath_Gets404AndLoginKeepsWaiting()
    {
        var login = new LoopbackLogin(_validator, _browser.Options(async url =>
        {
            string redirect = LoginDriver.Redirect(url);
            string state = LoginDriver.Query(url, "state");
            await _browser.GetAsync(redirect.Replace("/callback", "/other", StringComparison.Ordinal) + $"?code=x&state={state}");
            await _browser.GetAsync(redirect + "/deeper" + $"?code=x&state={state}");
            await _browser.FollowAsync(url);
        }));

        var result = await login.LoginAsync();
        await _browser.Browsing;

        Assert.Equal("alice@example.gov", result.Identity.Subject);
        Assert.Equal([HttpStatusCode.NotFound, HttpStatusCode.NotFound, HttpStatusCode.OK], _browser.Statuses);
    }

    [Fact]
    public async Task Login_NoCallback_TimesOutOnTheInjectedClock()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        using var client = Oidc.Client(_op.DiscoveryUrl, time);
        var options = _browser.Options(_ => Task.CompletedTask, timeout: TimeSpan.FromMinutes(5));
        var login = new LoopbackLogin(Oidc.Validator(client, _op.ClientId), options);

        var pending = login.LoginAsync();
        await _browser.Url;
        time.Advance(TimeSpan.FromMinutes(5) + TimeSpan.FromSeconds(1));

        var ex = await Oidc.FailsWithin(PassportErrorKind.LoginError, Quick, () => pending);
        Assert.Contains("timed out", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Login_TokenWithUnsupportedAcr_IsRefusedBeforeItIsReturned()
    {
        _op.Acr = "urn:unknown:acr";
        var login = new LoopbackLogin(_validator, _browser.Options(_browser.FollowAsync));

        var ex = await Oidc.FailsWithin(PassportErrorKind.UnsupportedAcr, Quick, () => login.LoginAsync());

        Assert.Equal(1, _op.TokenRequests);
        Assert.DoesNotContain("eyJ", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Login_ProviderDown_DiscoveryError()
    {
        await _op.StopAsync();
        var login = new LoopbackLogin(_validator, _browser.Options(_browser.FollowAsync));

        await Oidc.FailsWithin(PassportErrorKind.DiscoveryError, Quick, () => login.LoginAsync());
    }

    [Fact]
    public async Task Login_CancelledByCaller_ThrowsOperationCanceled()
    {
        using var cts = new CancellationTokenSource();
        var login = new LoopbackLogin(_validator, _browser.Options(_ => Task.CompletedTask));

        var pending = login.LoginAsync(cts.Token);
        await _browser.Url;
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => pending);
    }
}
