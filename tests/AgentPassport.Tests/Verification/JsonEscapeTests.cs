using AgentPassport.Tests.Support;

namespace AgentPassport.Tests.Verification;

/// <summary>
/// Signed Passports whose JSON carries an escape that decodes to no valid UTF-16 text (a lone surrogate): refused as a
/// typed error wherever it sits, including claims the verifier does not interpret, so no later reader of the claims
/// (audit, CLI, an application) meets a string that throws when read.
/// </summary>
public sealed class JsonEscapeTests : IDisposable
{
    private readonly ForgeFixture _f = new();

    [Theory]
    [InlineData("header kid", "\\ud800")]
    [InlineData("header alg", "\\ud800")]
    [InlineData("header typ", "\\udc00")]
    [InlineData("header name", "x\\ud800")]
    [InlineData("header other", "\\ud800")]
    [InlineData("payload name", "\\ud800")]
    [InlineData("payload iss", "\\ud800")]
    [InlineData("payload act.sub", "agent:\\ud800")]
    [InlineData("payload tool_scope", "\\ud800")]
    [InlineData("payload other", "\\ud800")]
    [InlineData("payload nested", "\\udfff\\ud800")]
    public async Task LoneSurrogateEscape_IsATypedError(string where, string escaped)
    {
        string token = Forge(where, escaped);

        var result = await _f.Verifier.ValidateAsync(token, ForgeFixture.Policy);

        Assert.False(result.Succeeded, where);
        Assert.True(result.Error.Kind is PassportErrorKind.InvalidToken or PassportErrorKind.MalformedClaims, $"{where}: {result.Error}");
        Assert.Equal(result.Error.Kind, Assert.Throws<AgentPassportException>(() => PassportReader.DecodeUnverified(token)).Kind);
    }

    [Theory]
    [InlineData("payload other", "\\ud83d\\ude00")]
    [InlineData("payload other", "\\u0000")]
    [InlineData("payload name", "x\\u0000")]
    public async Task WellFormedEscapes_StillVerify(string where, string escaped)
    {
        Assert.True((await _f.Verifier.ValidateAsync(Forge(where, escaped), ForgeFixture.Policy)).Succeeded);
    }

    public void Dispose() => _f.Dispose();

    private string Forge(string where, string escaped)
    {
        var headerNode = TokenForge.HeaderFor(_f.Key);
        var claims = TokenForge.RootClaims();
        claims["x-note"] = "placeholder-other";
        claims["x-nested"] = new System.Text.Json.Nodes.JsonObject { ["a"] = new System.Text.Json.Nodes.JsonArray("placeholder-nested") };
        headerNode["x-h"] = "placeholder-hother";
        string header = TokenForge.ToJson(headerNode);
        string payload = TokenForge.ToJson(claims);
        string Swap(string json, string value) => json.Replace($"\"{value}\"", $"\"{escaped}\"", StringComparison.Ordinal);
        string AddName(string json) => json[..^1] + $",\"{escaped}\":1}}";
        (header, payload) = where switch
        {
            "header kid" => (Swap(header, _f.Key.KeyId), payload),
            "header alg" => (Swap(header, _f.Key.Algorithm), payload),
            "header typ" => (Swap(header, PassportClaimNames.TokenType), payload),
            "header name" => (AddName(header), payload),
            "header other" => (Swap(header, "placeholder-hother"), payload),
            "payload name" => (header, AddName(payload)),
            "payload iss" => (header, Swap(payload, TokenForge.Issuer)),
            "payload act.sub" => (header, payload.Replace("{\"sub\":\"agent:alice\"}", $"{{\"sub\":\"{escaped}\"}}", StringComparison.Ordinal)),
            "payload tool_scope" => (header, Swap(payload, "flights:*")),
            "payload other" => (header, Swap(payload, "placeholder-other")),
            "payload nested" => (header, Swap(payload, "placeholder-nested")),
            _ => throw new ArgumentOutOfRangeException(nameof(where)),
        };
        Assert.Contains(escaped, header + payload, StringComparison.Ordinal);
        return TokenForge.Sign(header, payload, _f.Key);
    }
}
