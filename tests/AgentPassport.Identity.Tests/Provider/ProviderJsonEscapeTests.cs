using AgentPassport.Identity.Tests.Support;
using AgentPassport.Testing;

namespace AgentPassport.Identity.Tests.Provider;

/// <summary>
/// A hostile or broken provider whose discovery document or JWKS carries strings that unescape to no valid text (a lone surrogate): the
/// client fails with a typed error, never an InvalidOperationException from the JSON reader.
/// </summary>
public sealed class ProviderJsonEscapeTests : IAsyncLifetime
{
    private FaultyHttpServer _server = null!;

    public async Task InitializeAsync() => _server = await FaultyHttpServer.StartNewAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task DiscoveryOrJwksWithALoneSurrogate_IsDiscoveryErrorOrJwksError(bool inDiscovery)
    {
        if (inDiscovery)
        {
            _server.DiscoveryBehavior = FaultyHttpBehavior.LoneSurrogate;
        }
        else
        {
            _server.JwksBehavior = FaultyHttpBehavior.LoneSurrogate;
        }

        using var client = Oidc.Client(_server.DiscoveryUrl);

        var ex = await Assert.ThrowsAsync<AgentPassportException>(async () => await Oidc.Validator(client).ValidateAsync(_server.Tokens.Mint()));

        Assert.Equal(inDiscovery ? PassportErrorKind.DiscoveryError : PassportErrorKind.JwksError, ex.Kind);
        Assert.Contains("not valid Unicode text", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("kid")]
    [InlineData("use")]
    [InlineData("alg")]
    [InlineData("kty")]
    [InlineData("crv")]
    public async Task JwksWithALoneSurrogate_IsATypedError(string member)
    {
        string jwks = _server.Tokens.GetJwksJson();
        string original = Jwt.Member(jwks, member);
        _server.JwksJson = jwks.Replace($"\"{member}\":\"{original}\"", $"\"{member}\":\"\\ud800\"", StringComparison.Ordinal);
        Assert.Contains("\\ud800", _server.JwksJson, StringComparison.Ordinal);
        using var client = Oidc.Client(_server.DiscoveryUrl);

        var ex = await Assert.ThrowsAsync<AgentPassportException>(async () => await Oidc.Validator(client).ValidateAsync(_server.Tokens.Mint()));

        Assert.True(ex.Kind == PassportErrorKind.JwksError, $"{ex.Kind}: {ex.Message}");
        Assert.Contains("not valid Unicode text", ex.Message, StringComparison.Ordinal);
    }
}
