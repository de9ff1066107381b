using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using AgentPassport.Testing;

namespace AgentPassport.Testing.Tests;

public sealed class MockOpenIdProviderTests : IAsyncLifetime, IDisposable
{
    private const string Redirect = "http://127.0.0.1:9/callback";
    private readonly HttpClient _http = new(new HttpClientHandler { AllowAutoRedirect = false });
    private MockOpenIdProvider _op = null!;

    public async Task InitializeAsync() => _op = await MockOpenIdProvider.StartNewAsync();

    public void Dispose() => _http.Dispose();

    public async Task DisposeAsync()
    {
        await _op.DisposeAsync();
    }

    [Fact]
    public async Task Token_RightVerifier_ReturnsIdTokenWithNonce_CodeIsSingleUse()
    {
        var (verifier, code) = await AuthorizeAsync(nonce: "n-1");

        var first = await TokenAsync(code, verifier);
        Assert.Equal(HttpStatusCode.OK, first.Status);
        string idToken = first.Body["id_token"]!.GetValue<string>();
        Assert.Equal("n-1", Jwt.Payload(idToken)["nonce"]!.GetValue<string>());
        Assert.Equal(_op.Issuer, Jwt.Payload(idToken)["iss"]!.GetValue<string>());

        var replay = await TokenAsync(code, verifier);
        Assert.Equal(HttpStatusCode.BadRequest, replay.Status);
        Assert.Equal("invalid_grant", replay.Body["error"]!.GetValue<string>());
    }

    [Fact]
    public async Task Token_WrongVerifier_InvalidGrant()
    {
        var (_, code) = await AuthorizeAsync();

        var response = await TokenAsync(code, Base64Url(RandomNumberGenerator.GetBytes(32)));

        Assert.Equal(HttpStatusCode.BadRequest, response.Status);
        Assert.Equal("invalid_grant", response.Body["error"]!.GetValue<string>());
    }

    [Fact]
    public async Task Token_OtherRedirectUri_InvalidGrant()
    {
        var (verifier, code) = await AuthorizeAsync();

        var response = await TokenAsync(code, verifier, redirect: "http://127.0.0.1:10/callback");

        Assert.Equal("invalid_grant", response.Body["error"]!.GetValue<string>());
    }

    [Fact]
    public async Task Authorize_WithoutPkce_RedirectsWithInvalidRequest()
    {
        using var response = await _http.GetAsync($"{_op.Issuer}/authorize?response_type=code&client_id={_op.ClientId}&redirect_uri={Uri.EscapeDataString(Redirect)}&scope=openid&state=s1");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Contains("error=invalid_request", response.Headers.Location!.ToString(), StringComparison.Ordinal);
        Assert.Contains("state=s1", response.Headers.Location!.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Authorize_NonLoopbackRedirect_IsRefused()
    {
        using var response = await _http.GetAsync($"{_op.Issuer}/authorize?response_type=code&client_id={_op.ClientId}&redirect_uri={Uri.EscapeDataString("https://attacker.example/cb")}&scope=openid");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task Restart_KeepsThePortAndIssuer()
    {
        string issuer = _op.Issuer;
        await _op.StopAsync();
        Assert.False(_op.IsRunning);

        await _op.StartAsync();

        Assert.Equal(issuer, _op.Issuer);
        using var response = await _http.GetAsync(_op.DiscoveryUrl);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Jwks_PublishesRotatedKeys()
    {
        string first = _op.Tokens.CurrentKeyId;
        string second = _op.RotateKey();

        var jwks = JsonNode.Parse(await _http.GetStringAsync(_op.Issuer + "/jwks"))!["keys"]!.AsArray();

        Assert.Equal([first, second], jwks.Select(k => k!["kid"]!.GetValue<string>()));
    }

    [Fact]
    public void IdTokens_CarryNotBeforeEqualToIssuedAt_ByDefault()
    {
        var claims = Jwt.Payload(_op.MintIdToken());

        Assert.NotNull(claims["nbf"]);
        Assert.Equal(claims["iat"]!.GetValue<long>(), claims["nbf"]!.GetValue<long>());
    }

    [Fact]
    public async Task Discovery_ListsTheClaimsItsIdTokensCarry()
    {
        var discovery = JsonNode.Parse(await _http.GetStringAsync(_op.DiscoveryUrl))!;
        var supported = discovery["claims_supported"]!.AsArray().Select(c => c!.GetValue<string>()).ToHashSet();

        // xUnit: the second set must contain the first.
        Assert.Superset(Jwt.Payload(_op.MintIdToken(nonce: "n-1")).Select(c => c.Key).ToHashSet(), supported);
    }

    [Fact]
    public async Task MintingBeforeStart_ThrowsNotStarted()
    {
        await using var op = new MockOpenIdProvider();

        var ex = Assert.Throws<InvalidOperationException>(() => op.MintIdToken());

        Assert.Contains("not started", ex.Message, StringComparison.Ordinal);
        Assert.Throws<InvalidOperationException>(() => op.Tokens.Mint());
        await op.StartAsync();
        Assert.Equal(op.Issuer, Jwt.Payload(op.MintIdToken())["iss"]!.GetValue<string>());
    }

    private async Task<(string Verifier, string Code)> AuthorizeAsync(string? nonce = null)
    {
        string verifier = Base64Url(RandomNumberGenerator.GetBytes(32));
        string challenge = Base64Url(SHA256.HashData(Encoding.ASCII.GetBytes(verifier)));
        using var response = await _http.GetAsync($"{_op.Issuer}/authorize?response_type=code&client_id={_op.ClientId}&redirect_uri={Uri.EscapeDataString(Redirect)}&scope=openid&state=s1&code_challenge={challenge}&code_challenge_method=S256" + (nonce is null ? string.Empty : $"&nonce={nonce}"));
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var location = response.Headers.Location!;
        Assert.StartsWith(Redirect, location.ToString(), StringComparison.Ordinal);
        return (verifier, System.Web.HttpUtility.ParseQueryString(location.Query)["code"]!);
    }

    private async Task<(HttpStatusCode Status, JsonObject Body)> TokenAsync(string code, string verifier, string redirect = Redirect)
    {
        using var content = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "authorization_code",
            ["code"] = code,
            ["redirect_uri"] = redirect,
            ["client_id"] = _op.ClientId,
            ["code_verifier"] = verifier,
        });
        using var response = await _http.PostAsync(_op.Issuer + "/token", content);
        return (response.StatusCode, JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject());
    }

    private static string Base64Url(byte[] data) => Convert.ToBase64String(data).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
