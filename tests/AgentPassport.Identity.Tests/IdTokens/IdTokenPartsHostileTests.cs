using System.Text;
using AgentPassport.Identity.Tests.Support;

namespace AgentPassport.Identity.Tests.IdTokens;

/// <summary>Hostile ID token shapes found while fuzzing the Passport parser: they must fail as typed InvalidIdToken errors.</summary>
public sealed class IdTokenPartsHostileTests
{
    [Theory]
    [InlineData("header", "kid")]
    [InlineData("header", "name")]
    [InlineData("payload", "sub")]
    public void InvalidUtf8_IsInvalidIdToken_NotInvalidOperationException(string segment, string where)
    {
        string headerJson = "{\"alg\":\"RS256\",\"kid\":\"abc\",\"typ\":\"JWT\"}";
        string payloadJson = "{\"iss\":\"https://csp\",\"sub\":\"user\"}";
        byte[] header = Encoding.UTF8.GetBytes(headerJson);
        byte[] payload = Encoding.UTF8.GetBytes(payloadJson);
        byte[] target = segment == "header" ? header : payload;
        string json = segment == "header" ? headerJson : payloadJson;
        int at = where == "name" ? json.IndexOf("kid", StringComparison.Ordinal) : json.IndexOf($"\"{where}\":\"", StringComparison.Ordinal) + where.Length + 4;
        target[at] = 0xE4;
        string token = $"{Base64UrlText.B64(header)}.{Base64UrlText.B64(payload)}.AAAA";

        var ex = Assert.Throws<AgentPassportException>(() => IdTokenParts.Parse(token, 16 * 1024, ["RS256"]));

        Assert.Equal(PassportErrorKind.InvalidIdToken, ex.Kind);
    }
}
