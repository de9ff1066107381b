using AgentPassport.Identity.Tests.Acr;
using AgentPassport.Identity.Tests.Support;
using AgentPassport.Testing;
using Microsoft.Extensions.Time.Testing;

namespace AgentPassport.Identity.Tests.IdTokens;

public sealed class IdTokenValidatorTests : IAsyncLifetime
{
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

    [Fact]
    public async Task Validate_ValidIal2Token_ReturnsIdentityWithLevels()
    {
        var identity = await _validator.ValidateAsync(_op.MintIdToken("alice@example.gov"));

        Assert.Equal(_op.Issuer, identity.Issuer);
        Assert.Equal("alice@example.gov", identity.Subject);
        Assert.Equal(MockIdTokenOptions.Ial2, identity.Acr);
        Assert.Equal(new AssuranceLevels(2, 2, 2), identity.Levels);
        Assert.Equal(_op.ClientId, identity.Audience);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(_time.GetUtcNow().ToUnixTimeSeconds()) + TimeSpan.FromMinutes(5), identity.ExpiresAt);
    }

    [Fact]
    public async Task IssueAsync_ValidToken_RootPassportVerifiesWithIal2Floor()
    {
        var verified = await Oidc.IssueAndVerifyAsync(_validator, _op.MintIdToken("alice@example.gov"), _time, requireIal: 2);

        Assert.Equal("alice@example.gov", verified.Passport.Subject);
        Assert.Equal(2, verified.Passport.Ial);
        Assert.Equal(MockIdTokenOptions.Ial2, verified.Passport.Acr);
    }

    [Theory]
    [InlineData(PassportAlgorithms.RS256)]
    [InlineData(PassportAlgorithms.PS256)]
    public async Task Validate_OtherAllowedAlgorithms_Verify(string alg)
    {
        await using var op = await MockOpenIdProvider.StartNewAsync(new MockOpenIdProviderOptions { TimeProvider = _time, Algorithm = alg });
        using var client = Oidc.Client(op.DiscoveryUrl, _time);

        var identity = await Oidc.Validator(client, op.ClientId).ValidateAsync(op.MintIdToken());

        Assert.Equal("alice@example.gov", identity.Subject);
    }

    [Fact]
    public async Task Validate_NoAcr_ScopeOnlyIdentityWithoutLevels()
    {
        var identity = await _validator.ValidateAsync(_op.MintIdToken(acr: null));

        Assert.Null(identity.Acr);
        Assert.Null(identity.Levels);
        var verified = await Oidc.IssueAndVerifyAsync(_validator, _op.MintIdToken(acr: null), _time);
        Assert.Null(verified.Passport.Ial);
    }

    [Theory]
    [InlineData("http://idmanagement.gov/ns/assurance/ial/02")]
    [InlineData("http://idmanagement.gov/ns/assurance/loa/2")]
    [InlineData("urn:other:acr")]
    public async Task Validate_UnsupportedAcr_Throws(string acr)
    {
        await Expect(PassportErrorKind.UnsupportedAcr, _op.MintIdToken(acr: acr));
    }

    [Fact]
    public async Task Validate_CustomMappingByName_MapsItsAcr()
    {
        var validator = new IdTokenValidator(_client, new IdTokenValidatorOptions
        {
            ClientId = _op.ClientId,
            AcrMapping = AcrMappings.Resolve(typeof(GoldAcrMapping).AssemblyQualifiedName),
        });

        var identity = await validator.ValidateAsync(_op.MintIdToken(acr: "urn:test:gold"));

        Assert.Equal(new AssuranceLevels(3, 2, 1), identity.Levels);
    }

    [Fact]
    public async Task Validate_ThrowingCustomMapping_DeniesWithUnsupportedAcr()
    {
        var validator = new IdTokenValidator(_client, new IdTokenValidatorOptions
        {
            ClientId = _op.ClientId,
            AcrMapping = AcrMappings.FromFunc(_ => throw new InvalidOperationException("boom")),
        });

        var ex = await Assert.ThrowsAsync<AgentPassportException>(async () => await validator.ValidateAsync(_op.MintIdToken()));
        Assert.Equal(PassportErrorKind.UnsupportedAcr, ex.Kind);
    }

    [Fact]
    public async Task Validate_PastExpiryBeyondSkew_Expired()
    {
        string token = _op.MintIdToken(lifetime: TimeSpan.FromMinutes(5));
        _time.Advance(TimeSpan.FromMinutes(5) + TimeSpan.FromSeconds(31));

        await Expect(PassportErrorKind.Expired, token);
    }

    [Fact]
    public async Task Validate_PastExpiryWithinSkew_Accepted()
    {
        string token = _op.MintIdToken(lifetime: TimeSpan.FromMinutes(5));
        _time.Advance(TimeSpan.FromMinutes(5) + TimeSpan.FromSeconds(20));

        Assert.Equal("alice@example.gov", (await _validator.ValidateAsync(token)).Subject);
    }

    [Fact]
    public async Task Validate_NotBeforeInFuture_NotYetValid()
    {
        await Expect(PassportErrorKind.NotYetValid, Mint(new() { NotBefore = _time.GetUtcNow() + TimeSpan.FromMinutes(2) }));
    }

    [Fact]
    public async Task Validate_IssuedInFutureBeyondSkew_NotYetValid()
    {
        await Expect(PassportErrorKind.NotYetValid, Mint(new() { IssuedAt = _time.GetUtcNow() + TimeSpan.FromMinutes(2) }));
    }

    [Fact]
    public async Task Validate_OtherAudience_AudienceMismatch()
    {
        await Expect(PassportErrorKind.AudienceMismatch, Mint(new() { Audiences = ["someone-else"] }));
    }

    [Fact]
    public async Task Validate_AudienceWithTrailingSlash_AudienceMismatch()
    {
        await Expect(PassportErrorKind.AudienceMismatch, Mint(new() { Audiences = [_op.ClientId + "/"] }));
    }

    [Fact]
    public async Task Validate_AudienceArrayWithAzp_Accepted()
    {
        var identity = await _validator.ValidateAsync(Mint(new() { Audiences = ["other-api", _op.ClientId], AuthorizedParty = _op.ClientId }));

        Assert.Equal(_op.ClientId, identity.Audience);
    }

    [Fact]
    public async Task Validate_SeveralAudiencesWithoutAzp_AudienceMismatch()
    {
        await Expect(PassportErrorKind.AudienceMismatch, Mint(new() { Audiences = ["other-api", _op.ClientId] }));
    }

    [Fact]
    public async Task Validate_AzpOfAnotherClient_AudienceMismatch()
    {
        await Expect(PassportErrorKind.AudienceMismatch, Mint(new() { AuthorizedParty = "other-client" }));
    }

    [Fact]
    public async Task Validate_AudienceNotStringOrArray_InvalidIdToken()
    {
        await Expect(PassportErrorKind.InvalidIdToken, Mint(new() { ExtraClaims = new Dictionary<string, object?> { ["aud"] = 42 } }));
    }

    [Theory]
    [InlineData("https://attacker.example")]
    [InlineData("{issuer}/")]
    public async Task Validate_OtherIssuer_UntrustedIssuer(string issuer)
    {
        await Expect(PassportErrorKind.UntrustedIssuer, Mint(new() { Issuer = issuer.Replace("{issuer}", _op.Issuer, StringComparison.Ordinal) }));
    }

    [Fact]
    public async Task Validate_NoSubject_InvalidIdToken()
    {
        await Expect(PassportErrorKind.InvalidIdToken, Mint(new() { ExtraClaims = new Dictionary<string, object?> { ["sub"] = null } }));
    }

    [Fact]
    public async Task Validate_ExpAsString_InvalidIdToken()
    {
        await Expect(PassportErrorKind.InvalidIdToken, Mint(new() { ExtraClaims = new Dictionary<string, object?> { ["exp"] = "9999999999" } }));
    }

    [Fact]
    public async Task Validate_NoIat_InvalidIdToken()
    {
        await Expect(PassportErrorKind.InvalidIdToken, Mint(new() { ExtraClaims = new Dictionary<string, object?> { ["iat"] = null } }));
    }

    [Fact]
    public async Task Validate_MatchingNonce_Accepted()
    {
        var identity = await _validator.ValidateAsync(_op.MintIdToken(nonce: "n-123"), "n-123");

        Assert.Equal("alice@example.gov", identity.Subject);
    }

    [Theory]
    [InlineData("n-456")]
    [InlineData(null)]
    public async Task Validate_WrongOrMissingNonce_InvalidIdToken(string? tokenNonce)
    {
        var ex = await Assert.ThrowsAsync<AgentPassportException>(async () => await _validator.ValidateAsync(_op.MintIdToken(nonce: tokenNonce), "n-123"));

        Assert.Equal(PassportErrorKind.InvalidIdToken, ex.Kind);
        Assert.Contains("nonce", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Validate_TamperedPayload_InvalidSignature()
    {
        string token = Jwt.WithPayload(_op.MintIdToken("alice@example.gov"), p => p["sub"] = "mallory@example.gov");

        await Expect(PassportErrorKind.InvalidSignature, token);
    }

    [Theory]
    [InlineData("none")]
    [InlineData("NoNe")]
    [InlineData("HS256")]
    [InlineData("ES384")]
    [InlineData("EdDSA")]
    public async Task Validate_AlgorithmOutsideAllowList_AlgorithmNotAllowed(string alg)
    {
        await Expect(PassportErrorKind.AlgorithmNotAllowed, Mint(new() { ExtraHeader = new Dictionary<string, object?> { ["alg"] = alg } }));
    }

    [Fact]
    public async Task Validate_AlgorithmDifferentFromKeys_KeyNotFound()
    {
        // The provider's key is published for ES256 only; an RS256 header must not find it.
        await Expect(PassportErrorKind.KeyNotFound, Mint(new() { ExtraHeader = new Dictionary<string, object?> { ["alg"] = "RS256" } }));
    }

    [Fact]
    public async Task Validate_UnknownKid_KeyNotFoundNamingTheKid()
    {
        var ex = await Expect(PassportErrorKind.KeyNotFound, Mint(new() { KeyId = "no-such-kid" }));

        Assert.Contains("no-such-kid", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("kid", null)]
    [InlineData("jku", "https://attacker.example/jwks")]
    [InlineData("jwk", "{}")]
    [InlineData("crit", "exp")]
    [InlineData("typ", "at+jwt")]
    [InlineData("typ", "agent-passport+jwt")]
    public async Task Validate_BadHeaderMember_InvalidIdToken(string member, string? value)
    {
        await Expect(PassportErrorKind.InvalidIdToken, Mint(new() { ExtraHeader = new Dictionary<string, object?> { [member] = value } }));
    }

    [Fact]
    public async Task Validate_DuplicateClaim_InvalidIdToken()
    {
        var parts = _op.MintIdToken().Split('.');
        string payload = Jwt.Payload(_op.MintIdToken()).ToJsonString();
        string duplicated = payload.Insert(payload.Length - 1, ",\"sub\":\"mallory@example.gov\"");

        await Expect(PassportErrorKind.InvalidIdToken, $"{parts[0]}.{Jwt.Encode(duplicated)}.{parts[2]}");
    }

    [Theory]
    [InlineData("")]
    [InlineData("not-a-jwt")]
    [InlineData("a.b")]
    [InlineData("a.b.c.d.e")]
    [InlineData("eyJhbGciOiJSUzI1NiJ9.e30=.c2ln")]
    public async Task Validate_Garbage_InvalidIdTokenWithoutContactingProvider(string token)
    {
        await Expect(PassportErrorKind.InvalidIdToken, token);

        Assert.Equal(0, _op.DiscoveryRequests);
    }

    [Fact]
    public async Task Validate_OversizedToken_InvalidIdToken()
    {
        await Expect(PassportErrorKind.InvalidIdToken, Mint(new() { ExtraClaims = new Dictionary<string, object?> { ["pad"] = new string('x', 40_000) } }));
    }

    private string Mint(MockIdTokenOptions options) => _op.Tokens.Mint(options);

    private async Task<AgentPassportException> Expect(PassportErrorKind kind, string token)
    {
        var ex = await Assert.ThrowsAsync<AgentPassportException>(async () => await _validator.ValidateAsync(token));
        Assert.True(kind == ex.Kind, $"expected {kind}, got {ex.Kind}: {ex.Message}");
        return ex;
    }
}
