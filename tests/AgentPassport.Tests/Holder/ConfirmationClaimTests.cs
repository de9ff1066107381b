using System.Text.Json.Nodes;
using AgentPassport.Tests.Support;

namespace AgentPassport.Tests.Holder;

/// <summary>The <c>cnf</c> claim is read strictly: an object with exactly a well-formed <c>jkt</c>, else MalformedClaims.</summary>
public sealed class ConfirmationClaimTests : IDisposable
{
    private readonly PassportTestContext _f = new();

    [Fact]
    public async Task BoundRoot_CarriesCnfJkt_AndVerifies()
    {
        using var key = PassportHolderKey.Generate();
        var issued = _f.Issuer.Issue(Root(key.Thumbprint));
        var payload = JsonNode.Parse(System.Text.Encoding.UTF8.GetString(JwsSegments.DecodeCanonical(issued.Token.Split('.')[1])!))!;
        Assert.Equal(key.Thumbprint, payload["cnf"]!["jkt"]!.GetValue<string>());
        Assert.Single(payload["cnf"]!.AsObject());
        var verified = await _f.VerifyAsync(issued);
        Assert.Equal(key.Thumbprint, verified.Passport.HolderThumbprint);
        Assert.True(verified.Passport.IsHolderBound);
    }

    [Theory]
    [InlineData("\"not-an-object\"")]
    [InlineData("{}")]
    [InlineData("{\"jkt\":42}")]
    [InlineData("{\"jkt\":\"short\"}")]
    [InlineData("{\"jkt\":\"NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs\",\"jwk\":{}}")]
    [InlineData("{\"jwk\":{\"kty\":\"EC\"}}")]
    [InlineData("{\"jkt\":\"NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xt\"}")] // non-zero trailing bits
    public async Task MalformedCnf_IsMalformedClaims(string cnf)
    {
        var token = Resign(_f.IssueAlice().Token, payload => payload["cnf"] = JsonNode.Parse(cnf));
        var result = await _f.Verifier.ValidateAsync(token, PassportTestContext.Policy(PassportTestContext.AliceAudience));
        Assert.Equal(PassportErrorKind.MalformedClaims, result.Error!.Kind);
    }

    [Fact]
    public async Task DuplicateJktInsideCnf_IsMalformedClaims()
    {
        using var key = PassportHolderKey.Generate();
        var token = ResignRaw(_f.Issuer.Issue(Root(key.Thumbprint)).Token,
            json => json.Replace($"\"jkt\":\"{key.Thumbprint}\"", $"\"jkt\":\"{key.Thumbprint}\",\"jkt\":\"{key.Thumbprint}\"", StringComparison.Ordinal));
        var result = await _f.Verifier.ValidateAsync(token, PassportTestContext.Policy(PassportTestContext.AliceAudience));
        Assert.Equal(PassportErrorKind.MalformedClaims, result.Error!.Kind);
    }

    [Theory]
    [InlineData("short")]
    [InlineData("NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs=")]
    [InlineData("NzbLsXh8uDCcd+6MNwXF4W/7noWXFZAfHkxZsRGC9Xs")]
    public void Issuer_RefusesAMalformedThumbprint(string thumbprint)
    {
        var ex = Assert.Throws<AgentPassportException>(() => _f.Issuer.Issue(Root(thumbprint)));
        Assert.Equal(PassportErrorKind.IssuanceRefused, ex.Kind);
    }

    private static RootPassportRequest Root(string thumbprint) => new()
    {
        Identity = PassportTestContext.Identity(),
        AgentId = "agent:alice",
        AgentModel = "model-a",
        Audience = PassportTestContext.AliceAudience,
        ToolScope = ["flights:*"],
        HolderThumbprint = thumbprint,
    };

    public void Dispose() => _f.Dispose();

    private string Resign(string token, Action<JsonObject> edit)
    {
        var payload = TokenForge.Payload(token);
        edit(payload);
        return TokenForge.Sign(payload, _f.Keys.CurrentSigningKey);
    }

    private string ResignRaw(string token, Func<string, string> edit)
    {
        var key = _f.Keys.CurrentSigningKey;
        return TokenForge.Sign(TokenForge.ToJson(TokenForge.HeaderFor(key)), edit(TokenForge.ToJson(TokenForge.Payload(token))), key);
    }
}
