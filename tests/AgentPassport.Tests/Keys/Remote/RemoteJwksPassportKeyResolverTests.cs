using AgentPassport.Testing;
using AgentPassport.TestSupport.Keys;

namespace AgentPassport.Tests.Keys.Remote;

/// <summary>
/// A remote verifier trusts a Passport issuer by its JWKS URL (spec §7): exact kid lookup, rotation picked up by one
/// rate-limited refresh, stale keys served for a bounded time while the endpoint fails, typed errors otherwise.
/// </summary>
public sealed class RemoteJwksPassportKeyResolverTests : IAsyncLifetime
{
    private RemoteIssuer _issuer = null!;

    public async Task InitializeAsync() => _issuer = await RemoteIssuer.StartAsync();

    public async Task DisposeAsync() => await _issuer.DisposeAsync();

    [Fact]
    public async Task PassportSignedByTheIssuer_VerifiesThroughItsJwksUrl_FetchedOnce()
    {
        using var resolver = _issuer.Resolver();
        var verifier = _issuer.Verifier(resolver);

        var first = await verifier.VerifyAsync(_issuer.Mint(), RemoteIssuer.Policy);
        var second = await verifier.VerifyAsync(_issuer.Mint("agent:bob"), RemoteIssuer.Policy);

        Assert.Equal("agent:alice", first.Passport.AgentId);
        Assert.Equal("agent:bob", second.Passport.AgentId);
        Assert.Equal(1, _issuer.Server.JwksRequests);
    }

    [Fact]
    public async Task PassportSignedByAnotherKey_KeyNotFound_AndAForgedKid_InvalidSignature()
    {
        using var resolver = _issuer.Resolver();
        var verifier = _issuer.Verifier(resolver);

        var unknown = await verifier.ValidateAsync(_issuer.MintByAttacker(), RemoteIssuer.Policy);
        var forged = await verifier.ValidateAsync(_issuer.ForgeWithIssuerKid(), RemoteIssuer.Policy);

        Assert.Equal(PassportErrorKind.KeyNotFound, unknown.Error?.Kind);
        Assert.Equal(PassportErrorKind.InvalidSignature, forged.Error?.Kind);
    }

    [Fact]
    public async Task Rotation_NewKidTriggersOneRefresh_OldAndNewTokensVerify()
    {
        using var resolver = _issuer.Resolver();
        var verifier = _issuer.Verifier(resolver);
        string before = _issuer.Mint();
        await verifier.VerifyAsync(before, RemoteIssuer.Policy);

        _issuer.Keys.Rotate();
        _issuer.Publish();
        string after = _issuer.Mint();

        Assert.Equal("agent:alice", (await verifier.VerifyAsync(after, RemoteIssuer.Policy)).Passport.AgentId);
        Assert.Equal("agent:alice", (await verifier.VerifyAsync(before, RemoteIssuer.Policy)).Passport.AgentId);
        Assert.Equal(2, _issuer.Server.JwksRequests);
    }

    [Fact]
    public async Task UnknownKids_AtMostOneRefreshPerInterval()
    {
        using var resolver = _issuer.Resolver(configure: o => o.RefreshInterval = TimeSpan.FromSeconds(30));
        var verifier = _issuer.Verifier(resolver);
        await verifier.VerifyAsync(_issuer.Mint(), RemoteIssuer.Policy);

        for (int i = 0; i < 50; i++)
        {
            Assert.Null(await resolver.FindKeyAsync($"made-up-{i}"));
        }

        // One initial fetch and one unknown-kid refresh; the other 49 made-up kids cost no request.
        Assert.Equal(2, _issuer.Server.JwksRequests);

        _issuer.Time.Advance(TimeSpan.FromSeconds(31));
        Assert.Null(await resolver.FindKeyAsync("made-up-after-interval"));
        Assert.Equal(3, _issuer.Server.JwksRequests);
    }

    [Fact]
    public async Task EndpointDown_StaleKeysServeUpToMaxStaleAge_ThenJwksError_ThenRecovers()
    {
        using var resolver = _issuer.Resolver(configure: o =>
        {
            o.CacheDuration = TimeSpan.FromMinutes(5);
            o.MaxStaleAge = TimeSpan.FromMinutes(30);
        });
        var verifier = _issuer.Verifier(resolver);
        await verifier.VerifyAsync(_issuer.Mint(), RemoteIssuer.Policy);
        await _issuer.Server.StopAsync();

        // Past the cache duration, within the stale bound: the last good keys keep serving.
        _issuer.Time.Advance(TimeSpan.FromMinutes(10));
        Assert.True((await verifier.ValidateAsync(_issuer.Mint(), RemoteIssuer.Policy)).Succeeded);

        // Past the stale bound: a typed JwksError naming the URL, from the verifier's non-throwing path.
        _issuer.Time.Advance(TimeSpan.FromMinutes(21));
        var result = await verifier.ValidateAsync(_issuer.Mint(), RemoteIssuer.Policy);
        Assert.Equal(PassportErrorKind.JwksError, result.Error?.Kind);
        Assert.Contains(_issuer.JwksUrl.ToString(), result.Error!.Message, StringComparison.Ordinal);
        Assert.Contains("refused", result.Error.Message, StringComparison.Ordinal);

        await _issuer.Server.StartAsync();
        Assert.True((await verifier.ValidateAsync(_issuer.Mint(), RemoteIssuer.Policy)).Succeeded);
    }

    [Fact]
    public async Task FindKeyAsync_ThrowsTypedJwksError_WhenNothingCanServe()
    {
        _issuer.Server.JwksBehavior = FaultyHttpBehavior.NotAJwks;
        using var resolver = _issuer.Resolver();

        var ex = await Assert.ThrowsAsync<AgentPassportException>(async () => await resolver.FindKeyAsync(_issuer.Keys.CurrentSigningKey.KeyId));

        Assert.Equal(PassportErrorKind.JwksError, ex.Kind);
        Assert.Contains("not a valid JWKS", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Authorizer_DeniesWithJwksError_NeverThrows()
    {
        await _issuer.Server.StopAsync();
        using var resolver = _issuer.Resolver();
        var authorizer = new PassportAuthorizer(_issuer.Verifier(resolver),
            new PassportAuthorizerOptions { Policy = new VerificationPolicy(RemoteIssuer.IssuerUrl, RemoteIssuer.Audience) }, timeProvider: _issuer.Time);

        var decision = await authorizer.AuthorizeAsync(new PassportContext(_issuer.Mint()), "flights.book", "flights:book");

        Assert.False(decision.IsAllowed);
        Assert.Equal(PassportErrorKind.JwksError, decision.Error.Kind);
    }

    [Theory]
    [InlineData("ftp://127.0.0.1/jwks")]
    [InlineData("http://issuer.example.com/jwks")]
    [InlineData("https://issuer.example.com/jwks#frag")]
    public void Options_RefuseNonHttpsOrNonLoopbackHttpUrls(string url)
    {
        var ex = Assert.Throws<ArgumentException>(() => new RemoteJwksPassportKeyResolver(new RemoteJwksPassportKeyResolverOptions { JwksUrl = new Uri(url) }));
        Assert.Equal("JwksUrl", ex.ParamName);
    }

    [Fact]
    public void Options_RefuseForbiddenAlgorithmsAndOutOfRangeValues()
    {
        var url = new Uri("https://issuer.example.com/jwks");
        Assert.Throws<ArgumentException>(() => new RemoteJwksPassportKeyResolver(new RemoteJwksPassportKeyResolverOptions { JwksUrl = url, AllowedAlgorithms = ["HS256"] }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new RemoteJwksPassportKeyResolver(new RemoteJwksPassportKeyResolverOptions { JwksUrl = url, RequestTimeout = TimeSpan.Zero }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new RemoteJwksPassportKeyResolver(new RemoteJwksPassportKeyResolverOptions { JwksUrl = url, RefreshInterval = TimeSpan.Zero }));
        Assert.Throws<ArgumentException>(() => new RemoteJwksPassportKeyResolver(new RemoteJwksPassportKeyResolverOptions()));
    }
}
