using AgentPassport.Identity.Tests.Support;
using AgentPassport.Testing;

namespace AgentPassport.Identity.Tests.Provider;

/// <summary>A token endpoint answering with an escaped lone surrogate: the login fails with LoginError.</summary>
public sealed class TokenEndpointJsonEscapeTests : IAsyncLifetime, IDisposable
{
    private readonly LoginDriver _browser = new();
    private MockOpenIdProvider _op = null!;

    public async Task InitializeAsync() => _op = await MockOpenIdProvider.StartNewAsync();

    public void Dispose() => _browser.Dispose();

    public async Task DisposeAsync() => await _op.DisposeAsync();

    [Theory]
    [InlineData("""{"id_token":"\ud800","access_token":"a"}""")]
    [InlineData("""{"id_token":"a.b.c","access_token":"\udc00"}""")]
    [InlineData("""{"id_token":"a.b.c","\ud800":1}""")]
    public async Task TokenResponseWithALoneSurrogate_IsLoginError(string body)
    {
        using var http = new HttpClient(new TokenAnswer(body, new HttpClientHandler()));
        using var client = Oidc.Client(_op.DiscoveryUrl, configure: o => o.HttpClient = http);
        var login = new LoopbackLogin(Oidc.Validator(client, _op.ClientId), _browser.Options(_browser.FollowAsync));

        var ex = await Assert.ThrowsAsync<AgentPassportException>(() => login.LoginAsync());
        await _browser.Browsing;

        Assert.Equal(PassportErrorKind.LoginError, ex.Kind);
        Assert.Contains("not valid Unicode text", ex.Message, StringComparison.Ordinal);
    }

    /// <summary>Passes every request to the provider except the token request, which gets <paramref name="body"/>.</summary>
    private sealed class TokenAnswer(string body, HttpMessageHandler inner) : DelegatingHandler(inner)
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            request.Method == HttpMethod.Post
                ? Task.FromResult(new HttpResponseMessage(System.Net.HttpStatusCode.OK) { Content = new StringContent(body, System.Text.Encoding.UTF8, "application/json") })
                : base.SendAsync(request, cancellationToken);
    }
}
