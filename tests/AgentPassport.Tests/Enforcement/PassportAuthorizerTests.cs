using AgentPassport.Tests.Support;

namespace AgentPassport.Tests.Enforcement;

/// <summary>The shared enforcement path: deny by default, and verification through the verifier's verification cache.</summary>
public sealed class PassportAuthorizerTests
{
    private static async Task<(PassportTestContext F, CountingKeyResolver Keys, PassportAuthorizer Authorizer, PassportContext Carol)> SetupAsync(int cacheSize = 1024)
    {
        var f = new PassportTestContext();
        var (_, _, carol) = await f.AliceBobCarolAsync();
        var keys = new CountingKeyResolver(f.Keys);
        var verifier = new PassportVerifier(keys, f.Time, cacheSize);
        var authorizer = new PassportAuthorizer(verifier,
            new PassportAuthorizerOptions { Policy = new VerificationPolicy(PassportTestContext.IssuerUrl, PassportTestContext.FlightsAudience) },
            new InMemoryPassportAuditSink(), f.Time);
        return (f, keys, authorizer, Context(carol));
    }

    /// <summary>What an adapter carries for an issued Passport: its token, its chain and the audience it was issued for.</summary>
    private static PassportContext Context(IssuedPassport issued) =>
        new(issued.Token, issued.ChainTokens, issued.Passport.Audience);

    [Fact]
    public async Task RepeatedCalls_VerifyTheChainOnce_ThenCheckTheScopeEachTime()
    {
        var (f, keys, authorizer, carol) = await SetupAsync();
        using var _ = f;

        Assert.True((await authorizer.AuthorizeAsync(carol, "flights.book", "flights:book")).IsAllowed);
        Assert.Equal(3, keys.Lookups); // cold: Carol's leaf plus two parents, one lookup (and signature) each

        for (int i = 0; i < 10; i++)
        {
            Assert.True((await authorizer.AuthorizeAsync(carol, "flights.book", "flights:book")).IsAllowed);
            Assert.Equal(PassportErrorKind.ScopeViolation, (await authorizer.AuthorizeAsync(carol, "hotels.book", "hotels:book")).Error!.Kind);
        }

        // Hits: no signature work, only the re-check that the resolver still returns the one distinct key (one issuer key).
        Assert.Equal(3 + 20, keys.Lookups);
    }

    [Fact]
    public async Task CachedAllow_ThenChainExpires_IsDeniedAsExpired()
    {
        var (f, _, authorizer, carol) = await SetupAsync();
        using var _ = f;
        var allowed = await authorizer.AuthorizeAsync(carol, "flights.book", "flights:book");
        Assert.True(allowed.IsAllowed);
        Assert.True((await authorizer.AuthorizeAsync(carol, "flights.book", "flights:book")).IsAllowed); // served from the cache

        var verified = allowed.Passport!;
        var earliestExp = verified.Chain.Select(p => p.Passport.ExpiresAt).Append(verified.Passport.ExpiresAt).Min();
        f.Time.SetUtcNow(earliestExp + authorizer.Policy.ClockSkew + TimeSpan.FromSeconds(1));

        var decision = await authorizer.AuthorizeAsync(carol, "flights.book", "flights:book");
        Assert.False(decision.IsAllowed);
        Assert.Equal(PassportErrorKind.Expired, decision.Error.Kind);
    }

    [Fact]
    public async Task CachedAllow_ThenSigningKeyRemovedFromTheTrustedSet_IsDeniedAsKeyNotFound()
    {
        var (f, keys, authorizer, carol) = await SetupAsync();
        using var _ = f;
        Assert.True((await authorizer.AuthorizeAsync(carol, "flights.book", "flights:book")).IsAllowed);
        Assert.True((await authorizer.AuthorizeAsync(carol, "flights.book", "flights:book")).IsAllowed); // served from the cache

        // Rotate, then trust only the new key: the key that signed Carol's chain is revoked.
        f.Keys.Rotate();
        keys.Inner = new JwksPassportKeyResolver([f.Keys.CurrentSigningKey.PublicKey]);

        var decision = await authorizer.AuthorizeAsync(carol, "flights.book", "flights:book");
        Assert.False(decision.IsAllowed);
        Assert.Equal(PassportErrorKind.KeyNotFound, decision.Error.Kind);
    }

    [Fact]
    public async Task CachedAllow_ThenKeyRotatedButOldKeyStillTrusted_StillAllowed()
    {
        var (f, _, authorizer, carol) = await SetupAsync();
        using var _ = f;
        Assert.True((await authorizer.AuthorizeAsync(carol, "flights.book", "flights:book")).IsAllowed);

        // Ordinary rotation keeps the old public key in the ring, so Passports it signed stay valid until they expire.
        f.Keys.Rotate();

        Assert.True((await authorizer.AuthorizeAsync(carol, "flights.book", "flights:book")).IsAllowed);
    }

    [Fact]
    public async Task WithTheCacheOff_EveryCallVerifiesTheWholeChain()
    {
        var (f, keys, authorizer, carol) = await SetupAsync(cacheSize: 0);
        using var _ = f;

        for (int i = 0; i < 4; i++)
        {
            await authorizer.AuthorizeAsync(carol, "flights.book", "flights:book");
        }

        Assert.Equal(12, keys.Lookups);
    }

    [Fact]
    public async Task Cache_IsKeyedOnTheFullTokensAndThePolicy_NotOnJtiOrKid()
    {
        var (f, keys, authorizer, carol) = await SetupAsync();
        using var _ = f;
        await authorizer.AuthorizeAsync(carol, "flights.book", "flights:book");

        // Same jti and kid, different token text (a flipped signature): a miss, verified, and refused.
        var forged = new PassportContext(carol.Token[..^10] + (carol.Token[^10] == 'A' ? 'B' : 'A') + carol.Token[^9..], carol.ChainTokens, carol.Audience);
        var decision = await authorizer.AuthorizeAsync(forged, "flights.book", "flights:book");
        Assert.Equal(PassportErrorKind.InvalidSignature, decision.Error!.Kind);

        // Same tokens, another audience (another policy): a miss, and refused for that audience.
        var other = new PassportContext(carol.Token, carol.ChainTokens, "https://other.example.com/");
        Assert.Equal(PassportErrorKind.AudienceMismatch, (await authorizer.AuthorizeAsync(other, "flights.book", "flights:book")).Error!.Kind);

        // Failures are not cached: the forged token is verified again.
        int before = keys.Lookups;
        await authorizer.AuthorizeAsync(forged, "flights.book", "flights:book");
        Assert.True(keys.Lookups > before);
    }

    [Theory]
    [InlineData(null, "no scope requirement")]
    [InlineData("flights:*", "not a concrete scope")]
    [InlineData("flights::book", "not a concrete scope")]
    public async Task UnresolvableOrPatternRequirement_IsDenied(string? required, string message)
    {
        var (f, _, authorizer, carol) = await SetupAsync();
        using var _ = f;

        var decision = await authorizer.AuthorizeAsync(carol, "flights.book", required);

        Assert.False(decision.IsAllowed);
        Assert.Equal(PassportErrorKind.NoScopeRequirement, decision.Error.Kind);
        Assert.Contains(message, decision.Error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task NoContext_IsDenied()
    {
        var (f, _, authorizer, _) = await SetupAsync();
        using var _ = f;

        var decision = await authorizer.AuthorizeAsync(null, "flights.book", "flights:book");

        Assert.Equal(PassportErrorKind.NoPassport, decision.Error!.Kind);
        Assert.Equal("AP0016", decision.Error.Code);
    }

    [Fact]
    public void Construction_WithoutPolicy_IsMisuse()
    {
        using var f = new PassportTestContext();

        Assert.Throws<ArgumentException>(() => new PassportAuthorizer(f.Verifier, new PassportAuthorizerOptions()));
        Assert.Throws<ArgumentOutOfRangeException>(() => new AgentPassportOptions { VerificationCacheCapacity = -1 });
    }

    [Fact]
    public async Task PassportContext_ToString_NeverShowsTheToken()
    {
        using var f = new PassportTestContext();
        var (_, _, carol) = await f.AliceBobCarolAsync();
        var ctx = Context(carol);

        Assert.DoesNotContain(ctx.Token.Split('.')[2], ctx.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(ctx.Token.Split('.')[1], ctx.ToString(), StringComparison.Ordinal);
    }
}
