namespace AgentPassport.Tests.Verification;

/// <summary>Reference §3 policy validation (plus spec §9: no HS*), checked when the policy is built.</summary>
public sealed class VerificationPolicyTests
{
    private const string Iss = "https://issuer.test";
    private const string Aud = "https://tool.example.com/";

    [Fact]
    public void Defaults_AreTheSpecs()
    {
        var p = new VerificationPolicy(Iss, Aud);

        Assert.Equal(TimeSpan.FromSeconds(30), p.ClockSkew);
        Assert.Equal(["ES256"], p.AllowedAlgorithms);
        Assert.Equal(8, p.MaxChainDepth);
        Assert.Equal(16 * 1024, p.MaxTokenBytes);
        Assert.Equal(TimeSpan.FromHours(24), p.MaxLifetime);
        Assert.Equal((0, 0, 0), (p.RequireIal, p.RequireAal, p.RequireFal));
        Assert.Null(p.RequiredScope);
        Assert.False(p.AllowWildcardScope);
        Assert.Equal([Iss], p.Issuers);
        Assert.Equal(Aud, p.Audience);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(120)]
    public void ClockSkew_0To120_IsAccepted(int seconds) =>
        Assert.Equal(TimeSpan.FromSeconds(seconds), new VerificationPolicy(Iss, Aud) { ClockSkew = TimeSpan.FromSeconds(seconds) }.ClockSkew);

    [Theory]
    [InlineData(-1)]
    [InlineData(121)]
    [InlineData(3600)]
    public void ClockSkew_OutOfRange_IsRefused(int seconds)
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => new VerificationPolicy(Iss, Aud) { ClockSkew = TimeSpan.FromSeconds(seconds) });
        Assert.Contains("clock_skew", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Issuers_MustBeNonEmpty()
    {
        var ex = Assert.Throws<ArgumentException>(() => new VerificationPolicy(Array.Empty<string>(), Aud));
        Assert.Contains("issuers", ex.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => new VerificationPolicy(["", Iss], Aud));
        Assert.Throws<ArgumentException>(() => new VerificationPolicy([" "], Aud));
    }

    [Theory]
    [InlineData("")]
    [InlineData(" ")]
    public void Audience_MustBeNonEmpty(string audience) =>
        Assert.Throws<ArgumentException>(() => new VerificationPolicy(Iss, audience));

    [Theory]
    [InlineData(-1)]
    [InlineData(4)]
    public void Levels_OutOf0To3_AreRefused(int level)
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => new VerificationPolicy(Iss, Aud) { RequireIal = level });
        Assert.Contains("require_ial", ex.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentOutOfRangeException>(() => new VerificationPolicy(Iss, Aud) { RequireAal = level });
        Assert.Throws<ArgumentOutOfRangeException>(() => new VerificationPolicy(Iss, Aud) { RequireFal = level });
    }

    [Theory]
    [InlineData(0)]
    [InlineData(3)]
    public void Levels_0To3_AreAccepted(int level)
    {
        var p = new VerificationPolicy(Iss, Aud) { RequireIal = level, RequireAal = level, RequireFal = level };
        Assert.Equal((level, level, level), (p.RequireIal, p.RequireAal, p.RequireFal));
    }

    [Theory]
    [InlineData("none")]
    [InlineData("None")]
    [InlineData("NONE")]
    [InlineData("HS256")]
    [InlineData("hs384")]
    [InlineData("HS512")]
    public void Algorithms_NoneAndHs_AreNeverAllowed(string alg)
    {
        var ex = Assert.Throws<ArgumentException>(() => new VerificationPolicy(Iss, Aud) { AllowedAlgorithms = new HashSet<string> { "ES256", alg } });
        Assert.Contains("never allowed", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("ES384")]
    [InlineData("EdDSA")]
    [InlineData("es256")]
    public void Algorithms_Unsupported_AreRefused(string alg) =>
        Assert.Throws<ArgumentException>(() => new VerificationPolicy(Iss, Aud) { AllowedAlgorithms = new HashSet<string> { alg } });

    [Fact]
    public void Algorithms_EmptyIsRefused_AndRsPsAreAllowed()
    {
        Assert.Throws<ArgumentException>(() => new VerificationPolicy(Iss, Aud) { AllowedAlgorithms = new HashSet<string>() });
        var p = new VerificationPolicy(Iss, Aud) { AllowedAlgorithms = new HashSet<string> { "ES256", "RS256", "PS256" } };
        Assert.Equal(3, p.AllowedAlgorithms.Count);
    }

    [Theory]
    [InlineData("flights:*")]
    [InlineData("*")]
    [InlineData("flights:?")]
    [InlineData("")]
    public void RequiredScope_MustBeConcreteAndWellFormed(string scope) =>
        Assert.Throws<ArgumentException>(() => new VerificationPolicy(Iss, Aud) { RequiredScope = scope });

    [Theory]
    [InlineData(-1)]
    [InlineData(9)]
    public void MaxChainDepth_CanOnlyBeLowered(int depth) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new VerificationPolicy(Iss, Aud) { MaxChainDepth = depth });

    [Theory]
    [InlineData(1023)]
    [InlineData(16 * 1024 + 1)]
    public void MaxTokenBytes_CanOnlyBeLowered(int bytes) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new VerificationPolicy(Iss, Aud) { MaxTokenBytes = bytes });

    [Fact]
    public void MaxLifetime_PositiveAndAtMost24h()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new VerificationPolicy(Iss, Aud) { MaxLifetime = TimeSpan.Zero });
        Assert.Throws<ArgumentOutOfRangeException>(() => new VerificationPolicy(Iss, Aud) { MaxLifetime = TimeSpan.FromHours(24.01) });
        Assert.Equal(TimeSpan.FromMinutes(5), new VerificationPolicy(Iss, Aud) { MaxLifetime = TimeSpan.FromMinutes(5) }.MaxLifetime);
    }

    [Fact]
    public void WithRequiredScope_CopiesEverythingElse()
    {
        var p = new VerificationPolicy([Iss, "https://other.test"], Aud)
        {
            RequireIal = 2,
            RequireAal = 1,
            RequireFal = 3,
            AllowWildcardScope = true,
            ClockSkew = TimeSpan.FromSeconds(5),
            AllowedAlgorithms = new HashSet<string> { "ES256", "PS256" },
            MaxChainDepth = 3,
            MaxTokenBytes = 4096,
            MaxLifetime = TimeSpan.FromHours(1),
            RequiredScope = "a:b",
        };

        var q = p.WithRequiredScope("c:d");

        Assert.Equal("c:d", q.RequiredScope);
        Assert.Equal("a:b", p.RequiredScope);
        Assert.Equal(p.Issuers.Order(), q.Issuers.Order());
        Assert.Equal((2, 1, 3), (q.RequireIal, q.RequireAal, q.RequireFal));
        Assert.True(q.AllowWildcardScope);
        Assert.Equal(TimeSpan.FromSeconds(5), q.ClockSkew);
        Assert.Equal(p.AllowedAlgorithms.Order(), q.AllowedAlgorithms.Order());
        Assert.Equal((3, 4096, TimeSpan.FromHours(1)), (q.MaxChainDepth, q.MaxTokenBytes, q.MaxLifetime));
        Assert.Null(p.WithRequiredScope(null).RequiredScope);
    }

    [Fact]
    public void WithAudience_ChangesOnlyTheAudience_AndIsValidated()
    {
        var p = new VerificationPolicy(Iss, Aud) { RequireIal = 2, RequiredScope = "a:b", ClockSkew = TimeSpan.FromSeconds(7) };

        var q = p.WithAudience("https://other.example/");

        Assert.Equal("https://other.example/", q.Audience);
        Assert.Equal(Aud, p.Audience);
        Assert.Equal((2, "a:b", TimeSpan.FromSeconds(7)), (q.RequireIal, q.RequiredScope, q.ClockSkew));
        Assert.Throws<ArgumentException>(() => p.WithAudience(" "));
    }
}
