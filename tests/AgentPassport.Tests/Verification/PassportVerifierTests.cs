using System.Text.Json.Nodes;
using AgentPassport.Tests.Support;

namespace AgentPassport.Tests.Verification;

/// <summary>Reference §3 verification rules and §4 errors, ported, with the spec §5/§9 differences.</summary>
public sealed class PassportVerifierTests : IDisposable
{
    private readonly ForgeFixture _f = new();

    public static TheoryData<string, string> NotAToken => new()
    {
        { "empty", "" },
        { "one dot", "a.b" },
        { "dots only", "..." },
        { "outside base64url", "@@@.@@@.@@@" },
        { "two dots, empty signature", "eyJhIjoxfQ.eyJhIjoxfQ." },
        { "header is an array", "W10.e30.AAAA" },
        { "header is a string", "ImEi.e30.AAAA" },
        { "header not JSON", "bm90IGpzb24.e30.AAAA" },
        { "four segments", "e30.e30.AAAA.AAAA" },
    };

    [Theory]
    [MemberData(nameof(NotAToken))]
    public async Task NotAPassportJws_IsInvalidToken(string name, string token)
    {
        var result = await Validate(token);

        Assert.True(PassportErrorKind.InvalidToken == result.Error?.Kind, $"{name}: {result.Error}");
        Assert.Equal("AP0001", result.Error!.Code);
    }

    [Fact]
    public async Task Root_Verifies_AndTheThrowingPathReturnsTheSame()
    {
        string token = Sign(TokenForge.RootClaims());

        var result = await Validate(token);
        var verified = await _f.Verifier.VerifyAsync(token, ForgeFixture.Policy);

        Assert.True(result.Succeeded, result.Error?.ToString());
        Assert.Equal(token, verified.Token);
        Assert.Empty(verified.Chain);
        Assert.Equal("agent:alice", verified.Passport.AgentId);
    }

    [Fact]
    public async Task VerifyAsync_Throws_AgentPassportException_WithTheKind()
    {
        var claims = TokenForge.RootClaims(audience: "https://other.example.com/");

        var ex = await Assert.ThrowsAsync<AgentPassportException>(async () => await _f.Verifier.VerifyAsync(Sign(claims), ForgeFixture.Policy));

        Assert.Equal(PassportErrorKind.AudienceMismatch, ex.Kind);
        Assert.Equal("AP0009", ex.Error.Code);
        Assert.Equal("AudienceMismatch", ex.Error.Name);
    }

    [Fact]
    public async Task AlgorithmNotInTheAllowList_IsAlgorithmNotAllowed_BeforeAnyKeyLookup()
    {
        using var rsa = PassportSigningKey.Generate(PassportAlgorithms.RS256);

        var result = await Validate(TokenForge.Sign(TokenForge.RootClaims(), rsa));

        Assert.Equal(PassportErrorKind.AlgorithmNotAllowed, result.Error!.Kind);
        Assert.Contains("ES256", result.Error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    public async Task MissingKid_IsInvalidToken(string? kid)
    {
        var header = TokenForge.HeaderFor(_f.Key);
        if (kid is null)
        {
            header.Remove("kid");
        }
        else
        {
            header["kid"] = kid;
        }

        var result = await Validate(TokenForge.Sign(TokenForge.RootClaims(), _f.Key, header));

        Assert.Equal(PassportErrorKind.InvalidToken, result.Error!.Kind);
        Assert.Contains("kid", result.Error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnknownKid_IsKeyNotFound_NeverTryEveryKey()
    {
        using var other = PassportSigningKey.Generate();

        var result = await Validate(TokenForge.Sign(TokenForge.RootClaims(), other));

        Assert.Equal(PassportErrorKind.KeyNotFound, result.Error!.Kind);
    }

    [Fact]
    public async Task TamperedSignature_IsInvalidSignature()
    {
        // The reference's demo: the last 4 signature characters replaced with "AAAA".
        string token = Sign(TokenForge.RootClaims());

        var result = await Validate(token[..^4] + "AAAA");

        Assert.Equal(PassportErrorKind.InvalidSignature, result.Error!.Kind);
    }

    [Fact]
    public async Task TamperedPayload_IsInvalidSignature()
    {
        string token = Sign(TokenForge.RootClaims());
        var claims = TokenForge.Payload(token);
        claims[PassportClaimNames.ToolScope] = new JsonArray("*");
        string[] parts = token.Split('.');

        var result = await Validate($"{parts[0]}.{TokenForge.B64(TokenForge.ToJson(claims))}.{parts[2]}");

        Assert.Equal(PassportErrorKind.InvalidSignature, result.Error!.Kind);
    }

    public static TheoryData<string, string, JsonNode?> SchemaViolations => new()
    {
        { "ial 0", "ial", 0 },
        { "ial 4", "ial", 4 },
        { "aal -1", "aal", -1 },
        { "fal 99", "fal", 99 },
        { "ial as string", "ial", "2" },
        { "missing iss", "iss", null },
        { "missing sub", "sub", null },
        { "missing iat", "iat", null },
        { "missing nbf", "nbf", null },
        { "missing act", "act", null },
        { "missing agent_id", PassportClaimNames.AgentId, null },
        { "missing agent_model", PassportClaimNames.AgentModel, null },
        { "aud as array", "aud", new JsonArray(TokenForge.Audience) },
        { "sub as number", "sub", 7 },
        { "act without sub", "act", new JsonObject { ["x"] = 1 } },
        { "act as string", "act", "agent:alice" },
        { "agent_id differs from act.sub", PassportClaimNames.AgentId, "agent:mallory" },
        { "tool_scope with a number", PassportClaimNames.ToolScope, new JsonArray(1) },
        { "tool_scope with a malformed scope", PassportClaimNames.ToolScope, new JsonArray("a:?") },
        { "max_depth 9", PassportClaimNames.MaxDepth, 9 },
        { "max_depth negative", PassportClaimNames.MaxDepth, -1 },
        { "empty iss", "iss", "" },
        { "task_purpose number", PassportClaimNames.TaskPurpose, 1 },
    };

    [Theory]
    [MemberData(nameof(SchemaViolations))]
    public async Task ClaimSchemaViolation_IsMalformedClaims(string name, string claim, JsonNode? value)
    {
        var claims = TokenForge.RootClaims();
        if (value is null)
        {
            claims.Remove(claim);
        }
        else
        {
            claims[claim] = value;
        }

        var result = await Validate(Sign(claims));

        Assert.True(PassportErrorKind.MalformedClaims == result.Error?.Kind, $"{name}: {result.Error}");
    }

    [Fact]
    public async Task UnknownTopLevelClaims_AreIgnored_AndExtraActMembersKept()
    {
        var claims = TokenForge.RootClaims();
        claims["x-unknown"] = new JsonObject { ["nested"] = new JsonArray(1, 2) };
        claims["act"]!["extra"] = "kept";
        claims["act"]!["iss"] = "https://agents.example";

        var result = await Validate(Sign(claims));

        Assert.True(result.Succeeded, result.Error?.ToString());
        var members = result.Passport.Passport.Actor.OtherMembers;
        Assert.Equal(2, members.Count);
        Assert.Equal("kept", members["extra"].GetString());
        Assert.Equal("https://agents.example", members["iss"].GetString());
    }

    [Fact]
    public async Task KeyNotFound_CarriesTheWholeKidAlgorithmAndIssuer_AndTheMessageNeverClipsAThumbprint()
    {
        using var other = PassportSigningKey.Generate();

        var result = await Validate(TokenForge.Sign(TokenForge.RootClaims(), other));

        Assert.Equal(PassportErrorKind.KeyNotFound, result.Error!.Kind);
        Assert.Equal(43, other.KeyId.Length);
        Assert.Contains(other.KeyId, result.Error.Message, StringComparison.Ordinal);
        Assert.Equal(other.KeyId, result.Error.Details.KeyId);
        Assert.Equal(PassportAlgorithms.ES256, result.Error.Details.Algorithm);
        Assert.Equal(TokenForge.Issuer, result.Error.Details.Issuer);
    }

    [Fact]
    public async Task AudienceAndLevelFailures_CarryTypedDetails()
    {
        var claims = TokenForge.RootClaims(audience: "https://elsewhere.example/");
        var wrongAudience = await Validate(Sign(claims));
        var lowIal = await _f.Verifier.ValidateAsync(Sign(TokenForge.RootClaims()), new VerificationPolicy(TokenForge.Issuer, TokenForge.Audience) { RequireIal = 3 });

        Assert.Equal(TokenForge.Audience, wrongAudience.Error!.Details.ExpectedAudience);
        Assert.Equal("https://elsewhere.example/", wrongAudience.Error.Details.ActualAudience);
        Assert.Equal(PassportErrorKind.IALInsufficient, lowIal.Error!.Kind);
        Assert.Equal(3, lowIal.Error.Details.RequiredLevel);
        Assert.Equal(2, lowIal.Error.Details.ActualLevel);
    }

    [Fact]
    public void ChainFailure_CarriesTheLinksJtisAndReason()
    {
        var tokens = ForgedChain.AliceBobCarol().Sign(_f.Key, (i, c) => { if (i == 2) { c["sub"] = "user-mallory"; } });

        var result = _f.Validate(tokens);

        Assert.Equal(ChainBrokenReason.SubjectMismatch, result.Error!.Details.ChainReason);
        Assert.Equal("jti-agent:carol", result.Error.Details.ChildTokenId);
        Assert.Equal("jti-agent:bob", result.Error.Details.ParentTokenId);
    }

    [Fact]
    public async Task AlgorithmNotAllowed_CarriesTheAlgorithm()
    {
        var header = TokenForge.HeaderFor(_f.Key);
        header["alg"] = "RS256";

        var result = await Validate(TokenForge.Sign(TokenForge.RootClaims(), _f.Key, header));

        Assert.Equal(PassportErrorKind.AlgorithmNotAllowed, result.Error!.Kind);
        Assert.Equal("RS256", result.Error.Details.Algorithm);
    }

    [Fact]
    public async Task AbsentToolScope_IsReadAsNoAuthority()
    {
        // Reference §1: a missing tool_scope reads as []; it covers nothing.
        var claims = TokenForge.RootClaims();
        claims.Remove(PassportClaimNames.ToolScope);
        string token = Sign(claims);

        var result = await Validate(token);
        var withScope = await _f.Verifier.ValidateAsync(token, ForgeFixture.Policy.WithRequiredScope("flights:book"));

        Assert.True(result.Succeeded, result.Error?.ToString());
        Assert.Empty(result.Passport.Passport.ToolScope);
        Assert.Equal(PassportErrorKind.ScopeViolation, withScope.Error!.Kind);
    }

    [Fact]
    public async Task UntrustedIssuer()
    {
        var claims = TokenForge.RootClaims();
        claims["iss"] = "https://issuer.test.evil";

        var result = await Validate(Sign(claims));

        Assert.Equal(PassportErrorKind.UntrustedIssuer, result.Error!.Kind);
    }

    [Theory]
    [InlineData(30, true)]
    [InlineData(31, false)]
    public async Task Expiry_AtTheSkewBoundaryIsAccepted_OneSecondLaterExpired(int secondsAfterExp, bool accepted)
    {
        string token = Sign(TokenForge.RootClaims());
        _f.Time.Advance(TimeSpan.FromMinutes(15) + TimeSpan.FromSeconds(secondsAfterExp));

        var result = await Validate(token);

        Assert.Equal(accepted, result.Succeeded);
        if (!accepted)
        {
            Assert.Equal(PassportErrorKind.Expired, result.Error!.Kind);
        }
    }

    [Theory]
    [InlineData(30, true)]
    [InlineData(31, false)]
    public async Task NotBefore_WithinSkewAccepted_BeyondIsNotYetValid(int secondsEarly, bool accepted)
    {
        var claims = TokenForge.RootClaims(now: TokenForge.Now.AddSeconds(secondsEarly));

        var result = await Validate(Sign(claims));

        Assert.Equal(accepted, result.Succeeded);
        if (!accepted)
        {
            Assert.Equal(PassportErrorKind.NotYetValid, result.Error!.Kind);
        }
    }

    [Fact]
    public async Task ZeroSkew_IsExact()
    {
        string token = Sign(TokenForge.RootClaims());
        _f.Time.Advance(TimeSpan.FromMinutes(15) + TimeSpan.FromSeconds(1));

        var result = await _f.Verifier.ValidateAsync(token, new VerificationPolicy(TokenForge.Issuer, TokenForge.Audience) { ClockSkew = TimeSpan.Zero });

        Assert.Equal(PassportErrorKind.Expired, result.Error!.Kind);
    }

    [Theory]
    [InlineData("https://flights-mcp.example.com")]
    [InlineData("https://flights-mcp.example.com/extra")]
    [InlineData("https://flights-mcp.example.com/ ")]
    [InlineData("flights-mcp")]
    public async Task Audience_IsExact_NoPrefixSubstringOrSlashFolding(string aud)
    {
        var result = await Validate(Sign(TokenForge.RootClaims(audience: aud)));

        Assert.Equal(PassportErrorKind.AudienceMismatch, result.Error!.Kind);
    }

    [Theory]
    [InlineData("ial", PassportErrorKind.IALInsufficient)]
    [InlineData("aal", PassportErrorKind.AALInsufficient)]
    [InlineData("fal", PassportErrorKind.FALInsufficient)]
    public async Task AssuranceFloors_LowerOrMissingLevelFails(string level, PassportErrorKind kind)
    {
        var policy = new VerificationPolicy(TokenForge.Issuer, TokenForge.Audience) { RequireIal = 2, RequireAal = 2, RequireFal = 2 };
        var lower = TokenForge.RootClaims();
        lower[level] = 1;
        var missing = TokenForge.RootClaims();
        missing.Remove(level);

        var lowerResult = await _f.Verifier.ValidateAsync(Sign(lower), policy);
        var missingResult = await _f.Verifier.ValidateAsync(Sign(missing), policy);

        Assert.Equal(kind, lowerResult.Error!.Kind);
        Assert.Equal(kind, missingResult.Error!.Kind);
        Assert.Contains("got 0", missingResult.Error.Message, StringComparison.Ordinal);
        Assert.True((await _f.Verifier.ValidateAsync(Sign(TokenForge.RootClaims()), policy)).Succeeded);
    }

    [Fact]
    public async Task AssuranceFloors_AreCheckedIalThenAalThenFal()
    {
        var claims = TokenForge.RootClaims();
        claims["ial"] = 1;
        claims["aal"] = 1;
        claims["fal"] = 1;
        var policy = new VerificationPolicy(TokenForge.Issuer, TokenForge.Audience) { RequireIal = 2, RequireAal = 2, RequireFal = 2 };

        Assert.Equal(PassportErrorKind.IALInsufficient, (await _f.Verifier.ValidateAsync(Sign(claims), policy)).Error!.Kind);
    }

    [Fact]
    public async Task Wildcard_OnlyTheStarScopeIsAWildcard_AndThePolicyCanAllowIt()
    {
        string star = Sign(TokenForge.RootClaims(scopes: ["*"]));
        string pattern = Sign(TokenForge.RootClaims(scopes: ["flights:*"]));
        var allow = new VerificationPolicy(TokenForge.Issuer, TokenForge.Audience) { AllowWildcardScope = true, RequiredScope = "anything:at:all" };

        Assert.Equal(PassportErrorKind.WildcardScopeNotAllowed, (await Validate(star)).Error!.Kind);
        Assert.True((await Validate(pattern)).Succeeded);
        Assert.True((await _f.Verifier.ValidateAsync(star, allow)).Succeeded);
    }

    [Theory]
    [InlineData(new[] { "flights:search" }, "flights:book", false)]
    [InlineData(new[] { "flights:*" }, "flights:book", true)]
    [InlineData(new string[0], "flights:book", false)]
    [InlineData(new[] { "flights:book:*" }, "flights:book", false)]
    public async Task RequiredScope_MustBeCovered(string[] scopes, string required, bool accepted)
    {
        var result = await _f.Verifier.ValidateAsync(Sign(TokenForge.RootClaims(scopes: scopes)), ForgeFixture.Policy.WithRequiredScope(required));

        Assert.Equal(accepted, result.Succeeded);
        if (!accepted)
        {
            Assert.Equal(PassportErrorKind.ScopeViolation, result.Error!.Kind);
        }
    }

    [Fact]
    public void Parents_GetNoAudienceFloorOrScopeChecks_OnlyTheLeafDoes()
    {
        // Alice (aud A, no flights:book itself) → Bob (flights:book, aud = the verifier's): only Bob meets the leaf rules.
        var chain = new ForgedChain([TokenForge.RootClaims(scopes: ["flights:*"], audience: "https://service-a.example.com/")]);
        chain.Claims.Add(TokenForge.ChildClaims(chain.Claims[0], "agent:bob", ["flights:book"]));
        var tokens = chain.Sign(_f.Key);

        var result = _f.Validate(tokens, ForgeFixture.Policy.WithRequiredScope("flights:book"));

        Assert.True(result.Succeeded, result.Error?.ToString());
        Assert.Equal("agent:alice", result.Passport.Chain[0].Passport.AgentId);
    }

    [Fact]
    public async Task ParentsAreFullyVerified_ABrokenParentIsReportedWithItsIndex()
    {
        var tokens = ForgedChain.AliceBobCarol().Sign(_f.Key);

        var result = await _f.Verifier.ValidateAsync(tokens[2], ForgeFixture.Policy, [tokens[0], tokens[1][..^4] + "AAAA"]);

        Assert.Equal(PassportErrorKind.InvalidSignature, result.Error!.Kind);
        Assert.Equal(1, result.Error.ChainIndex);
        Assert.StartsWith("chain[1]: ", result.Error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task NullOrGarbageChainEntry_IsATypedError()
    {
        var tokens = ForgedChain.AliceBobCarol().Sign(_f.Key);

        var result = await _f.Verifier.ValidateAsync(tokens[2], ForgeFixture.Policy, [tokens[0], null!]);

        Assert.Equal(PassportErrorKind.InvalidToken, result.Error!.Kind);
        Assert.Equal(1, result.Error.ChainIndex);
    }

    [Fact]
    public async Task ALongChainIsRefusedBeforeAnyParentSignatureWork()
    {
        var tokens = ForgedChain.AliceBobCarol().Sign(_f.Key);
        var chain = Enumerable.Repeat("not-even-a-token", 10_000).ToArray();

        var result = await _f.Verifier.ValidateAsync(tokens[2], ForgeFixture.Policy, chain);

        Assert.Equal(ChainBrokenReason.DepthExceeded, result.Error!.ChainReason);
    }

    [Fact]
    public async Task ErrorMessages_NeverContainTheTokenOrItsSignature()
    {
        string token = Sign(TokenForge.RootClaims(audience: "https://other.example.com/"));
        string[] parts = token.Split('.');

        var result = await Validate(token);

        Assert.DoesNotContain(parts[1], result.Error!.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(parts[2], result.Error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void ErrorCodes_AreStable()
    {
        Assert.Equal(1, (int)PassportErrorKind.InvalidToken);
        Assert.Equal(15, (int)PassportErrorKind.ChainBroken);
        Assert.Equal(20, (int)PassportErrorKind.ScopeAttenuation);
        var names = Enum.GetNames<PassportErrorKind>();
        foreach (var name in new[] { "InvalidToken", "AlgorithmNotAllowed", "KeyNotFound", "InvalidSignature", "MalformedClaims", "UntrustedIssuer", "Expired", "NotYetValid", "AudienceMismatch", "IALInsufficient", "AALInsufficient", "FALInsufficient", "ScopeViolation", "WildcardScopeNotAllowed", "ChainBroken", "ScopeAttenuation", "DiscoveryError", "JwksError", "UnsupportedAcr", "LoginError" })
        {
            Assert.Contains(name, names);
        }

        var broken = AgentPassportException.Create(PassportErrorKind.ChainBroken, "x");
        Assert.Equal("AP0015", broken.Error.Code);
        Assert.Equal("ChainBroken: x", broken.Message);
    }

    [Fact]
    public async Task TheSameTokenVerifiesTwice_TheVerifierIsStateless()
    {
        // Replay detection is not a stateless verifier's job (spec §5 reserves ReplayDetected for a replay cache).
        string token = Sign(TokenForge.RootClaims());

        Assert.True((await Validate(token)).Succeeded);
        Assert.True((await Validate(token)).Succeeded);
    }

    [Fact]
    public async Task StolenParentToken_IsABearerOnlyForItsOwnAudience_UntilItExpires()
    {
        // Threat model: a chain hands every verifier its parents' tokens. A thief can replay Alice's root only where
        // Alice's audience is accepted, never at the leaf's audience, and only until it expires.
        var chain = ForgedChain.AliceBobCarol();
        chain.Claims[0]["aud"] = "https://service-a.example.com/";
        var tokens = chain.Sign(_f.Key);
        var atServiceA = new VerificationPolicy(TokenForge.Issuer, "https://service-a.example.com/");

        Assert.True((await _f.Verifier.ValidateAsync(tokens[0], atServiceA)).Succeeded);
        Assert.Equal(PassportErrorKind.AudienceMismatch, (await Validate(tokens[0])).Error!.Kind);
        _f.Time.Advance(TimeSpan.FromMinutes(16));
        Assert.Equal(PassportErrorKind.Expired, (await _f.Verifier.ValidateAsync(tokens[0], atServiceA)).Error!.Kind);
    }

    [Fact]
    public async Task OversizeToken_IsInvalidToken_AndThePolicyCanLowerTheCap()
    {
        var claims = TokenForge.RootClaims();
        claims["x-pad"] = new string('p', 3000);
        string token = Sign(claims);

        Assert.True((await Validate(token)).Succeeded);
        var result = await _f.Verifier.ValidateAsync(token, new VerificationPolicy(TokenForge.Issuer, TokenForge.Audience) { MaxTokenBytes = 2048 });
        Assert.Equal(PassportErrorKind.InvalidToken, result.Error!.Kind);
    }

    [Fact]
    public async Task LifetimeCap_FromThePolicy()
    {
        var result = await _f.Verifier.ValidateAsync(Sign(TokenForge.RootClaims()), new VerificationPolicy(TokenForge.Issuer, TokenForge.Audience) { MaxLifetime = TimeSpan.FromMinutes(10) });

        Assert.Equal(PassportErrorKind.MalformedClaims, result.Error!.Kind);
    }

    [Theory]
    [InlineData("header")]
    [InlineData("payload")]
    public async Task InvalidUtf8InsideAJsonString_IsATypedError_NotAnException(string where)
    {
        // Found by the mutation fuzzer: Utf8JsonReader.GetString throws InvalidOperationException on invalid UTF-8,
        // which escaped the non-throwing ValidateAsync from the header reader.
        byte[] header = System.Text.Encoding.UTF8.GetBytes(TokenForge.ToJson(TokenForge.HeaderFor(_f.Key)));
        byte[] payload = System.Text.Encoding.UTF8.GetBytes(TokenForge.ToJson(TokenForge.RootClaims()));
        byte[] target = where == "header" ? header : payload;
        int inString = Array.IndexOf(target, (byte)'E') >= 0 && where == "header" ? Array.IndexOf(target, (byte)'E') : Array.IndexOf(target, (byte)'h');
        target[inString] = 0xE4;
        string token = TokenForge.SignSegments(TokenForge.B64(header), TokenForge.B64(payload), _f.Key);

        var result = await Validate(token);

        Assert.False(result.Succeeded);
        Assert.True(result.Error.Kind is PassportErrorKind.InvalidToken or PassportErrorKind.MalformedClaims, result.Error.ToString());
        Assert.Equal(result.Error.Kind, Assert.Throws<AgentPassportException>(() => PassportReader.DecodeUnverified(token)).Kind);
    }

    public void Dispose() => _f.Dispose();

    private string Sign(JsonObject claims) => TokenForge.Sign(claims, _f.Key);

    private Task<PassportValidationResult> Validate(string token) => _f.Verifier.ValidateAsync(token, ForgeFixture.Policy).AsTask();
}
