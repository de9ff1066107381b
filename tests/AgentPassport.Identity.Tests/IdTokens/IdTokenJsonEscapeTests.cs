using AgentPassport.Identity.Tests.Support;
using AgentPassport.Testing;
using Microsoft.Extensions.Time.Testing;

namespace AgentPassport.Identity.Tests.IdTokens;

/// <summary>
/// JSON escapes that decode to no valid UTF-16 text (a lone surrogate) anywhere in a signed ID token: each is a typed
/// InvalidIdToken refused before any network or signature work, never an InvalidOperationException from the JSON reader.
/// </summary>
public sealed class IdTokenJsonEscapeTests : IAsyncLifetime
{
    private const string LoneHigh = "\\ud800";
    private readonly FakeTimeProvider _time = Oidc.FakeNow();
    private MockOpenIdProvider _op = null!;
    private OpenIdProviderClient _client = null!;
    private IdTokenValidator _validator = null!;

    public async Task InitializeAsync()
    {
        _op = await MockOpenIdProvider.StartNewAsync(new MockOpenIdProviderOptions { TimeProvider = _time });
        _client = Oidc.Client(_op.DiscoveryUrl, _time);
        _validator = Oidc.Validator(_client, _op.ClientId);
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _op.DisposeAsync();
    }

    [Theory]
    [InlineData("header kid", LoneHigh)]
    [InlineData("header kid", "\\udc00")]
    [InlineData("header kid", "k\\udc00\\ud800")]
    [InlineData("header alg", LoneHigh)]
    [InlineData("header typ", LoneHigh)]
    [InlineData("header name", LoneHigh)]
    [InlineData("header name", "ki\\ud800d")]
    [InlineData("payload name", LoneHigh)]
    [InlineData("payload name", "is\\udbffs")]
    [InlineData("payload iss", LoneHigh)]
    [InlineData("payload sub", "alice\\ud800")]
    [InlineData("payload aud", LoneHigh)]
    [InlineData("payload acr", LoneHigh)]
    [InlineData("payload nonce", LoneHigh)]
    [InlineData("payload other", LoneHigh)]
    [InlineData("payload nested", LoneHigh)]
    public async Task LoneSurrogateEscape_IsInvalidIdToken_BeforeContactingTheProvider(string where, string escaped)
    {
        string token = Forge(where, escaped);

        var ex = await Assert.ThrowsAsync<AgentPassportException>(async () => await _validator.ValidateAsync(token, "n-1"));

        Assert.True(ex.Kind == PassportErrorKind.InvalidIdToken, $"{where}: {ex.Kind} {ex.Message}");
        Assert.Equal(0, _op.DiscoveryRequests);
    }

    [Theory]
    [InlineData("payload sub", "alice\\ud83d\\ude00")]
    [InlineData("payload other", "\\u0000")]
    [InlineData("payload name", "x\\u0000")]
    public async Task WellFormedEscapes_StillValidate(string where, string escaped)
    {
        var identity = await _validator.ValidateAsync(Forge(where, escaped), "n-1");

        Assert.Equal(_op.Issuer, identity.Issuer);
    }

    /// <summary>A correctly signed ID token whose JSON text carries <paramref name="escaped"/> at <paramref name="where"/>.</summary>
    private string Forge(string where, string escaped)
    {
        string Value(string name, string normal) => where == name ? escaped : normal;
        long now = _time.GetUtcNow().ToUnixTimeSeconds();
        string header = $$"""{"alg":"{{Value("header alg", _op.Tokens.CurrentAlgorithm)}}","kid":"{{Value("header kid", _op.Tokens.CurrentKeyId)}}","typ":"{{Value("header typ", "JWT")}}"{{(where == "header name" ? $",\"{escaped}\":1" : "")}}}""";
        string payload = $$"""{"iss":"{{Value("payload iss", _op.Issuer)}}","sub":"{{Value("payload sub", "alice")}}","aud":"{{Value("payload aud", _op.ClientId)}}","iat":{{now}},"exp":{{now + 300}},"acr":"{{Value("payload acr", MockIdTokenOptions.Ial2)}}","nonce":"{{Value("payload nonce", "n-1")}}","other":"{{Value("payload other", "x")}}","nested":{"a":["{{Value("payload nested", "y")}}"]}{{(where == "payload name" ? $",\"{escaped}\":1" : "")}}}""";
        return _op.Tokens.SignRaw(header, payload);
    }
}
