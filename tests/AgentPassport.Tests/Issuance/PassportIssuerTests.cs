using System.Text.Json.Nodes;
using AgentPassport.Tests.Support;

namespace AgentPassport.Tests.Issuance;

/// <summary>Reference §2 issuance and delegation, with the spec §4/§9 differences (ES256, typ, parent_hash, TTL clamp and caps, depth, any-depth delegation).</summary>
public sealed class PassportIssuerTests : IDisposable
{
    private readonly PassportTestContext _ctx = new();

    [Fact]
    public void Issue_Root_HasEveryClaimAndTheExplicitHeader()
    {
        var now = _ctx.Time.GetUtcNow();
        var issued = _ctx.IssueAlice();
        var p = issued.Passport;
        var header = TokenForge.HeaderOf(issued.Token);
        var payload = TokenForge.Payload(issued.Token);

        Assert.Equal("ES256", header["alg"]!.GetValue<string>());
        Assert.Equal("agent-passport+jwt", header["typ"]!.GetValue<string>());
        Assert.Equal(_ctx.Keys.CurrentSigningKey.KeyId, header["kid"]!.GetValue<string>());
        Assert.Equal(3, header.Count);
        Assert.Equal(PassportTestContext.IssuerUrl, p.Issuer);
        Assert.Equal(PassportTestContext.Principal, p.Subject);
        Assert.Equal(PassportTestContext.AliceAudience, payload["aud"]!.GetValue<string>());
        Assert.Equal(now.ToUnixTimeSeconds(), payload["iat"]!.GetValue<long>());
        Assert.Equal(payload["iat"]!.GetValue<long>(), payload["nbf"]!.GetValue<long>());
        Assert.Equal(now.AddMinutes(15).ToUnixTimeSeconds(), payload["exp"]!.GetValue<long>());
        Assert.True(Guid.TryParse(p.TokenId, out _));
        Assert.Equal(PassportTestContext.Ial2Acr, p.Acr);
        Assert.Equal((2, 2, 2), (p.Ial, p.Aal, p.Fal));
        Assert.Equal("""{"sub":"agent:alice"}""", payload["act"]!.ToJsonString());
        Assert.Equal("agent:alice", payload[PassportClaimNames.AgentId]!.GetValue<string>());
        Assert.Equal("model-a", payload[PassportClaimNames.AgentModel]!.GetValue<string>());
        Assert.Equal(["flights:*", "hotels:*", "calendar:*"], p.ToolScope.ToStrings());
        Assert.Equal("plan a trip", p.TaskPurpose);
        Assert.Null(payload[PassportClaimNames.ParentJti]);
        Assert.Null(payload[PassportClaimNames.ParentHash]);
        Assert.False(p.IsDelegated);
        Assert.Equal(0, p.Depth);
        Assert.Empty(issued.ChainTokens);
        // ScopeSet has reference equality, so the decoded record is compared with its scopes swapped in.
        var decoded = PassportReader.DecodeUnverified(issued.Token);
        Assert.Equal(p.ToolScope.ToStrings(), decoded.ToolScope.ToStrings());
        Assert.Equal(p, decoded with { ToolScope = p.ToolScope });
    }

    [Fact]
    public void Issue_ScopeOnlyIdentity_OmitsAssuranceClaims_AndEmptyScopeIsAnEmptyArray()
    {
        var issued = _ctx.Issuer.Issue(new RootPassportRequest
        {
            Identity = new IdentityAssertion("https://csp.example.com", "user-x"),
            AgentId = "agent:a",
            AgentModel = "m",
            Audience = "https://a.example.com/",
        });
        var payload = TokenForge.Payload(issued.Token);

        foreach (var name in new[] { "acr", "ial", "aal", "fal", PassportClaimNames.TaskPurpose, PassportClaimNames.MaxDepth })
        {
            Assert.False(payload.ContainsKey(name), name);
        }

        Assert.Equal("[]", payload[PassportClaimNames.ToolScope]!.ToJsonString());
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(86401)]
    public void Issue_TtlNotPositiveOrOverTheCap_IsRefused(int seconds)
    {
        var ex = Assert.Throws<AgentPassportException>(() => IssueRoot(ttl: TimeSpan.FromSeconds(seconds)));
        Assert.Equal(PassportErrorKind.IssuanceRefused, ex.Kind);
    }

    [Fact]
    public void Issue_TtlAtTheCap_IsAccepted()
    {
        var issued = IssueRoot(ttl: TimeSpan.FromHours(24));
        Assert.Equal(TimeSpan.FromHours(24), issued.Passport.ExpiresAt - issued.Passport.IssuedAt);
    }

    [Theory]
    [InlineData("flights:?")]
    [InlineData("**")]
    [InlineData("a:*:b")]
    [InlineData("")]
    public void Issue_MalformedScope_IsRefused(string scope)
    {
        var ex = Assert.Throws<AgentPassportException>(() => IssueRoot(scopes: [scope]));
        Assert.Equal(PassportErrorKind.IssuanceRefused, ex.Kind);
        Assert.StartsWith("AP0021", ex.Error.Code, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("agent")]
    [InlineData("model")]
    [InlineData("audience")]
    public void Issue_EmptyIdentifiers_AreRefused(string which)
    {
        var ex = Assert.Throws<AgentPassportException>(() => _ctx.Issuer.Issue(new RootPassportRequest
        {
            Identity = PassportTestContext.Identity(),
            AgentId = which == "agent" ? " " : "a",
            AgentModel = which == "model" ? "" : "m",
            Audience = which == "audience" ? "" : "https://a/",
        }));
        Assert.Equal(PassportErrorKind.IssuanceRefused, ex.Kind);
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(9)]
    public void Issue_MaxDepthOutOfRange_IsRefused(int maxDepth) =>
        Assert.Equal(PassportErrorKind.IssuanceRefused, Assert.Throws<AgentPassportException>(() => IssueRoot(maxDepth: maxDepth)).Kind);

    [Fact]
    public async Task Issue_WildcardScopeIsMintable_ButRefusedByADefaultVerifier()
    {
        var issued = IssueRoot(scopes: ["*"]);

        var refused = await _ctx.Verifier.ValidateAsync(issued.Token, PassportTestContext.Policy("https://a.example.com/"));
        var allowed = await _ctx.Verifier.ValidateAsync(issued.Token, new VerificationPolicy(PassportTestContext.IssuerUrl, "https://a.example.com/") { AllowWildcardScope = true });

        Assert.Equal(PassportErrorKind.WildcardScopeNotAllowed, refused.Error!.Kind);
        Assert.True(allowed.Succeeded);
    }

    [Fact]
    public void Issue_JtisAreUnique()
    {
        var jtis = Enumerable.Range(0, 50).Select(_ => IssueRoot().Passport.TokenId).ToHashSet();
        Assert.Equal(50, jtis.Count);
    }

    [Theory]
    [InlineData("RS256")]
    [InlineData("PS256")]
    public async Task Issue_RsaAlgorithmsByConfiguration(string alg)
    {
        using var ctx = new PassportTestContext(alg);
        var issued = ctx.IssueAlice();
        var allowRsa = new VerificationPolicy(PassportTestContext.IssuerUrl, PassportTestContext.AliceAudience) { AllowedAlgorithms = new HashSet<string> { alg } };

        Assert.Equal(alg, TokenForge.HeaderOf(issued.Token)["alg"]!.GetValue<string>());
        Assert.True((await ctx.Verifier.ValidateAsync(issued.Token, allowRsa)).Succeeded);
        Assert.Equal(PassportErrorKind.AlgorithmNotAllowed, (await ctx.Verifier.ValidateAsync(issued.Token, PassportTestContext.Policy(PassportTestContext.AliceAudience))).Error!.Kind);
    }

    [Fact]
    public async Task Delegate_Child_KeepsSubAndLevels_WrapsAct_LinksByJtiAndHash()
    {
        var alice = _ctx.IssueAlice();
        var verifiedAlice = await _ctx.VerifyAsync(alice);

        var bob = _ctx.Issuer.Delegate(verifiedAlice, Bob(["flights:*"]));
        var payload = TokenForge.Payload(bob.Token);

        Assert.Equal(alice.Passport.Subject, bob.Passport.Subject);
        Assert.Equal(alice.Passport.Acr, bob.Passport.Acr);
        Assert.Equal((2, 2, 2), (bob.Passport.Ial, bob.Passport.Aal, bob.Passport.Fal));
        Assert.Equal("""{"sub":"agent:bob","act":{"sub":"agent:alice"}}""", payload["act"]!.ToJsonString());
        Assert.Equal(alice.Passport.TokenId, payload[PassportClaimNames.ParentJti]!.GetValue<string>());
        Assert.Equal(PassportReader.ComputeParentHash(alice.Token), payload[PassportClaimNames.ParentHash]!.GetValue<string>());
        Assert.Equal([alice.Token], bob.ChainTokens);
        Assert.Equal(PassportTestContext.BobAudience, bob.Passport.Audience);
        Assert.Equal(_ctx.Time.GetUtcNow().AddMinutes(5).ToUnixTimeSeconds(), bob.Passport.ExpiresAt.ToUnixTimeSeconds());
        Assert.Equal(1, bob.Passport.Depth);
        Assert.NotEqual(alice.Passport.TokenId, bob.Passport.TokenId);
    }

    [Fact]
    public async Task Delegate_TtlLongerThanTheParent_IsClampedToTheParentsExp()
    {
        var alice = IssueRoot(ttl: TimeSpan.FromMinutes(2));
        var bob = _ctx.Issuer.Delegate(await Verify(alice), Bob([], ttl: TimeSpan.FromHours(1)));

        Assert.Equal(alice.Passport.ExpiresAt, bob.Passport.ExpiresAt);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-60)]
    [InlineData(86401)]
    public async Task Delegate_TtlNotPositiveOrOverTheCap_IsRefused(int seconds)
    {
        var verified = await Verify(IssueRoot());
        var ex = Assert.Throws<AgentPassportException>(() => _ctx.Issuer.Delegate(verified, Bob([], ttl: TimeSpan.FromSeconds(seconds))));
        Assert.Equal(PassportErrorKind.IssuanceRefused, ex.Kind);
    }

    [Fact]
    public async Task Delegate_FromAnExpiredParent_IsRefused()
    {
        var verified = await Verify(IssueRoot(ttl: TimeSpan.FromMinutes(1)));
        _ctx.Time.Advance(TimeSpan.FromMinutes(1));

        Assert.Equal(PassportErrorKind.IssuanceRefused, Assert.Throws<AgentPassportException>(() => _ctx.Issuer.Delegate(verified, Bob([]))).Kind);
    }

    [Theory]
    [InlineData(new[] { "flights:book", "cars:rent" }, "cars:rent")]
    [InlineData(new[] { "*" }, "*")]
    [InlineData(new[] { "flights" }, "flights")]
    public async Task Delegate_ScopeNotCoveredByTheParent_IsScopeAttenuation(string[] child, string uncovered)
    {
        var verified = await Verify(_ctx.IssueAlice());

        var ex = Assert.Throws<AgentPassportException>(() => _ctx.Issuer.Delegate(verified, Bob(child)));

        Assert.Equal(PassportErrorKind.ScopeAttenuation, ex.Kind);
        Assert.Equal("AP0020", ex.Error.Code);
        Assert.Contains($"'{uncovered}'", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Delegate_ChildUnderEmptyParent_IsRefused_EmptyChildIsAllowed()
    {
        var verified = await Verify(IssueRoot(scopes: []));

        Assert.Equal(PassportErrorKind.ScopeAttenuation, Assert.Throws<AgentPassportException>(() => _ctx.Issuer.Delegate(verified, Bob(["a:b"]))).Kind);
        Assert.Empty(_ctx.Issuer.Delegate(verified, Bob([])).Passport.ToolScope);
    }

    [Fact]
    public async Task Delegate_DeeperPatternUnderPattern_IsAllowed()
    {
        var verified = await Verify(IssueRoot(scopes: ["a:*"]));
        Assert.Equal(["a:b:*"], _ctx.Issuer.Delegate(verified, Bob(["a:b:*"])).Passport.ToolScope.ToStrings());
    }

    [Fact]
    public async Task Delegate_LevelsMayBeLowered_NeverRaisedOrAdded()
    {
        var verified = await Verify(_ctx.IssueAlice());

        var lowered = _ctx.Issuer.Delegate(verified, Bob([]) with { LowerLevels = new AssuranceLevels(1, 2, 1) });
        Assert.Equal((1, 2, 1), (lowered.Passport.Ial, lowered.Passport.Aal, lowered.Passport.Fal));
        Assert.Equal(PassportErrorKind.IssuanceRefused, Assert.Throws<AgentPassportException>(() => _ctx.Issuer.Delegate(verified, Bob([]) with { LowerLevels = new AssuranceLevels(3, 2, 2) })).Kind);

        var scopeOnly = await Verify(_ctx.Issuer.Issue(new RootPassportRequest { Identity = new IdentityAssertion("https://csp", "u"), AgentId = "a", AgentModel = "m", Audience = "https://a.example.com/" }));
        Assert.Equal(PassportErrorKind.IssuanceRefused, Assert.Throws<AgentPassportException>(() => _ctx.Issuer.Delegate(scopeOnly, Bob([]) with { LowerLevels = new AssuranceLevels(1, 1, 1) })).Kind);
    }

    [Fact]
    public async Task Delegate_MaxDepth_DecreasesAndZeroStopsDelegation()
    {
        var root = await Verify(IssueRoot(maxDepth: 1));

        var child = _ctx.Issuer.Delegate(root, Bob([]));
        Assert.Equal(0, child.Passport.MaxDepth);
        var verifiedChild = await Verify(child, PassportTestContext.BobAudience);
        var ex = Assert.Throws<AgentPassportException>(() => _ctx.Issuer.Delegate(verifiedChild, Bob([]) with { AgentId = "agent:carol" }));
        Assert.Equal(PassportErrorKind.IssuanceRefused, ex.Kind);
        Assert.Equal(PassportErrorKind.IssuanceRefused, Assert.Throws<AgentPassportException>(() => _ctx.Issuer.Delegate(root, Bob([]) with { MaxDepth = 1 })).Kind);
    }

    [Fact]
    public async Task Delegate_BeyondTheIssuersDepthCap_IsRefused()
    {
        var issuer = new PassportIssuer(new PassportIssuerOptions { IssuerUrl = PassportTestContext.IssuerUrl, KeyStore = _ctx.Keys, TimeProvider = _ctx.Time, MaxChainDepth = 2 });
        var current = await Verify(IssueRoot());
        for (int hop = 1; hop <= 2; hop++)
        {
            var next = issuer.Delegate(current, Bob([]) with { AgentId = $"agent:{hop}" });
            current = await _ctx.Verifier.VerifyAsync(next.Token, PassportTestContext.Policy(PassportTestContext.BobAudience), next.ChainTokens);
        }

        Assert.Equal(PassportErrorKind.IssuanceRefused, Assert.Throws<AgentPassportException>(() => issuer.Delegate(current, Bob([]) with { AgentId = "agent:3" })).Kind);
    }

    [Fact]
    public async Task Delegate_FromAnyDepth_UpToTheFormatCap_Verifies()
    {
        // The reference's CLI could only delegate from roots; here Carol delegates to Dave and so on down to depth 8.
        var (_, _, carol) = await _ctx.AliceBobCarolAsync();
        var current = await _ctx.Verifier.VerifyAsync(carol.Token, PassportTestContext.Policy(PassportTestContext.FlightsAudience), carol.ChainTokens);
        for (int depth = 3; depth <= PassportLimits.MaxChainDepth; depth++)
        {
            var next = _ctx.Issuer.Delegate(current, new DelegationRequest { AgentId = $"agent:{depth}", AgentModel = "m", Audience = PassportTestContext.FlightsAudience, ToolScope = ["flights:book"] });
            current = await _ctx.Verifier.VerifyAsync(next.Token, PassportTestContext.Policy(PassportTestContext.FlightsAudience, "flights:book", requireIal: 2), next.ChainTokens);
            Assert.Equal(depth, current.Passport.Depth);
            Assert.Equal(depth, current.Chain.Count);
        }

        Assert.Equal(PassportErrorKind.IssuanceRefused, Assert.Throws<AgentPassportException>(() => _ctx.Issuer.Delegate(current, Bob([]))).Kind);
    }

    [Fact]
    public void Options_AreValidated()
    {
        Assert.Throws<ArgumentException>(() => new PassportIssuer(new PassportIssuerOptions { KeyStore = _ctx.Keys }));
        Assert.Throws<ArgumentException>(() => new PassportIssuer(new PassportIssuerOptions { IssuerUrl = "https://i" }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new PassportIssuer(new PassportIssuerOptions { IssuerUrl = "https://i", KeyStore = _ctx.Keys, MaxRootTtl = TimeSpan.FromHours(25) }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new PassportIssuer(new PassportIssuerOptions { IssuerUrl = "https://i", KeyStore = _ctx.Keys, DefaultChildTtl = TimeSpan.Zero }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new PassportIssuer(new PassportIssuerOptions { IssuerUrl = "https://i", KeyStore = _ctx.Keys, MaxChainDepth = 9 }));
    }

    public void Dispose() => _ctx.Dispose();

    private IssuedPassport IssueRoot(string[]? scopes = null, TimeSpan? ttl = null, int? maxDepth = null) => _ctx.Issuer.Issue(new RootPassportRequest
    {
        Identity = PassportTestContext.Identity(),
        AgentId = "agent:alice",
        AgentModel = "m",
        Audience = "https://a.example.com/",
        ToolScope = scopes ?? ["flights:*"],
        Ttl = ttl,
        MaxDepth = maxDepth,
    });

    private static DelegationRequest Bob(string[] scopes, TimeSpan? ttl = null) => new()
    {
        AgentId = "agent:bob",
        AgentModel = "model-b",
        Audience = PassportTestContext.BobAudience,
        ToolScope = scopes,
        Ttl = ttl,
    };

    private async Task<VerifiedPassport> Verify(IssuedPassport issued, string? audience = null) =>
        await _ctx.Verifier.VerifyAsync(issued.Token, PassportTestContext.Policy(audience ?? issued.Passport.Audience), issued.ChainTokens);
}
