using System.Buffers.Text;
using System.Text;

namespace AgentPassport.Tests.Verification;

/// <summary>JSON text that is not valid UTF-8 in a header or payload member name is a typed error, never an exception.</summary>
public sealed class InvalidUtf8Tests : IDisposable
{
    private static readonly string Signature = Base64Url.EncodeToString(new byte[64]);
    private readonly InMemoryPassportKeyStore _keys = new();

    [Fact]
    public async Task HeaderMemberNameNotUtf8_IsInvalidToken()
    {
        string header = Encode(Json("{\"alg\":\"ES256\",\"typ\":\"agent-passport+jwt\",\"kid\":\"k\",\"x", 0xFF, "\":1}"));
        var verifier = new PassportVerifier(_keys);

        var result = await verifier.ValidateAsync($"{header}.{Encode(Encoding.ASCII.GetBytes("{}"))}.{Signature}", Policy());

        Assert.Equal(PassportErrorKind.InvalidToken, result.Error!.Kind);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task PayloadMemberNameNotUtf8_IsMalformedClaims(bool cached)
    {
        string header = Encode(Encoding.ASCII.GetBytes($"{{\"alg\":\"ES256\",\"typ\":\"agent-passport+jwt\",\"kid\":\"{_keys.CurrentSigningKey.KeyId}\"}}"));
        string payload = Encode(Json("{\"iss\":\"https://issuer.test\",\"x", 0xC3, "\":1}"));
        var verifier = new PassportVerifier(_keys, null, cached ? new VerifiedChainCache() : null);

        var result = await verifier.ValidateAsync($"{header}.{payload}.{Signature}", Policy());

        Assert.Equal(PassportErrorKind.MalformedClaims, result.Error!.Kind);
    }

    public void Dispose() => _keys.Dispose();

    private static VerificationPolicy Policy() => new("https://issuer.test", "https://service.test/");

    private static byte[] Json(string before, byte invalid, string after) =>
        [.. Encoding.ASCII.GetBytes(before), invalid, .. Encoding.ASCII.GetBytes(after)];

    private static string Encode(byte[] bytes) => Base64Url.EncodeToString(bytes);
}
