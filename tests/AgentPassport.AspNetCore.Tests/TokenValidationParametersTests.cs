using System.Security.Cryptography;
using System.Text;
using AgentPassport.TestSupport.Adapters;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace AgentPassport.AspNetCore.Tests;

/// <summary>A stock JsonWebTokenHandler validates leaf Passports through the exported parameters, strictly.</summary>
public sealed class TokenValidationParametersTests : IAsyncLifetime, IDisposable
{
    private readonly PassportFixture _passports = new();
    private readonly JsonWebTokenHandler _handler = new();
    private PassportContext _carol = null!;

    private VerificationPolicy Policy => new(PassportFixture.IssuerUrl, PassportFixture.ToolsAudience);

    public async Task InitializeAsync() => (_, _, _carol) = await _passports.AliceBobCarolAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    public void Dispose() => _passports.Dispose();

    [Fact]
    public async Task A_valid_leaf_is_accepted_with_its_claims()
    {
        var result = await Validate(_carol.Token);

        Assert.True(result.IsValid, result.Exception?.Message);
        Assert.Equal("agent:carol", result.ClaimsIdentity.Name);
        Assert.Equal("user-alice-pairwise", result.ClaimsIdentity.FindFirst(PassportClaimTypes.Principal)?.Value);
    }

    [Fact]
    public async Task A_tampered_leaf_is_refused()
    {
        var parts = _carol.Token.Split('.');
        var payload = Encoding.UTF8.GetString(Base64UrlEncoder.DecodeBytes(parts[1])).Replace("agent:carol", "agent:carox", StringComparison.Ordinal);
        var tampered = $"{parts[0]}.{Base64UrlEncoder.Encode(payload)}.{parts[2]}";

        var result = await Validate(tampered);

        Assert.False(result.IsValid);
        Assert.IsAssignableFrom<SecurityTokenInvalidSignatureException>(result.Exception);
    }

    [Fact]
    public async Task A_leaf_with_another_typ_signed_by_the_trusted_key_is_refused()
    {
        using var ecdsa = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var keys = new InMemoryPassportKeyStore(PassportSigningKey.FromECDsa(ECDsa.Create(ecdsa.ExportParameters(includePrivateParameters: true))));
        var token = Resign(_carol.Token, ecdsa, keys.CurrentSigningKey.KeyId, typ: "JWT");
        var control = Resign(_carol.Token, ecdsa, keys.CurrentSigningKey.KeyId, typ: PassportClaimNames.TokenType);

        var refused = await Validate(token, keys);
        var accepted = await Validate(control, keys);

        Assert.False(refused.IsValid);
        Assert.IsType<SecurityTokenInvalidTypeException>(refused.Exception);
        Assert.True(accepted.IsValid, accepted.Exception?.Message);
    }

    [Fact]
    public async Task A_leaf_for_another_audience_is_refused()
    {
        var result = await _handler.ValidateTokenAsync(_carol.Token, Policy.WithAudience("https://other.example.com/").ToTokenValidationParameters(_passports.Keys, _passports.Time));

        Assert.False(result.IsValid);
        Assert.IsType<SecurityTokenInvalidAudienceException>(result.Exception);
    }

    [Fact]
    public async Task The_audience_without_its_trailing_slash_is_another_audience()
    {
        var result = await _handler.ValidateTokenAsync(_carol.Token, Policy.WithAudience(PassportFixture.ToolsAudience.TrimEnd('/')).ToTokenValidationParameters(_passports.Keys, _passports.Time));

        Assert.False(result.IsValid);
    }

    [Fact]
    public async Task An_unknown_kid_is_refused_without_trying_the_trusted_keys()
    {
        using var ecdsa = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var other = new InMemoryPassportKeyStore(PassportSigningKey.FromECDsa(ECDsa.Create(ecdsa.ExportParameters(includePrivateParameters: true))));
        var token = Resign(_carol.Token, ecdsa, other.CurrentSigningKey.KeyId, typ: PassportClaimNames.TokenType);

        var result = await Validate(token);

        Assert.False(result.IsValid);
        Assert.IsType<SecurityTokenSignatureKeyNotFoundException>(result.Exception);
    }

    [Fact]
    public async Task A_trusted_kid_under_another_issuer_is_refused()
    {
        using var otherIssuerKeys = new InMemoryPassportKeyStore();
        var issuers = new TrustedIssuers().Add(PassportFixture.IssuerUrl, otherIssuerKeys).Add("https://issuer-b.test", _passports.Keys);
        var policy = new VerificationPolicy([PassportFixture.IssuerUrl, "https://issuer-b.test"], PassportFixture.ToolsAudience);

        var result = await _handler.ValidateTokenAsync(_carol.Token, policy.ToTokenValidationParameters(issuers, _passports.Time));

        Assert.False(result.IsValid);
        Assert.IsType<SecurityTokenSignatureKeyNotFoundException>(result.Exception);
    }

    [Fact]
    public async Task A_leaf_past_its_expiry_is_accepted_within_the_skew_and_refused_beyond_it()
    {
        var exp = PassportReader.DecodeUnverified(_carol.Token).ExpiresAt;
        _passports.Time.SetUtcNow(exp + Policy.ClockSkew - TimeSpan.FromSeconds(1));
        var within = await Validate(_carol.Token);
        _passports.Time.SetUtcNow(exp + Policy.ClockSkew + TimeSpan.FromSeconds(1));
        var beyond = await Validate(_carol.Token);

        Assert.True(within.IsValid, within.Exception?.Message);
        Assert.False(beyond.IsValid);
        Assert.IsAssignableFrom<SecurityTokenInvalidLifetimeException>(beyond.Exception);
    }

    [Fact]
    public async Task An_algorithm_outside_the_allow_list_is_refused()
    {
        var policy = new VerificationPolicy(PassportFixture.IssuerUrl, PassportFixture.ToolsAudience) { AllowedAlgorithms = new HashSet<string> { PassportAlgorithms.PS256 } };

        var result = await _handler.ValidateTokenAsync(_carol.Token, policy.ToTokenValidationParameters(_passports.Keys, _passports.Time));

        Assert.False(result.IsValid);
    }

    [Fact]
    public void A_policy_trusting_two_issuers_needs_each_key_set()
    {
        var policy = new VerificationPolicy([PassportFixture.IssuerUrl, "https://issuer-b.test"], PassportFixture.ToolsAudience);

        Assert.Throws<ArgumentException>(() => policy.ToTokenValidationParameters(_passports.Keys));
        Assert.Throws<ArgumentException>(() => policy.ToTokenValidationParameters(new TrustedIssuers().Add(PassportFixture.IssuerUrl, _passports.Keys)));
    }

    private Task<TokenValidationResult> Validate(string token, IPassportKeyResolver? keys = null) =>
        _handler.ValidateTokenAsync(token, Policy.ToTokenValidationParameters(keys ?? _passports.Keys, _passports.Time));

    // The same claims under a new header, signed (ES256, JWS P1363 form) by the given key.
    private static string Resign(string token, ECDsa key, string kid, string typ)
    {
        var header = Base64UrlEncoder.Encode($"{{\"alg\":\"ES256\",\"typ\":\"{typ}\",\"kid\":\"{kid}\"}}");
        var input = $"{header}.{token.Split('.')[1]}";
        var signature = key.SignData(Encoding.ASCII.GetBytes(input), HashAlgorithmName.SHA256);
        return $"{input}.{Base64UrlEncoder.Encode(signature)}";
    }
}
