using AgentPassport.Identity.Tests.Support;
using AgentPassport.Testing;
using Microsoft.Extensions.Time.Testing;

namespace AgentPassport.Identity.Tests.Provider;

/// <summary>Discovery and JWKS caching, the rate-limited unknown-kid refresh, key rotation and stale serving, on a fake clock.</summary>
public sealed class OpenIdProviderClientTests : IAsyncLifetime
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
    public async Task GetMetadata_ReadsEndpointsAndCheckedIssuer()
    {
        var metadata = await _client.GetMetadataAsync();

        Assert.Equal(_op.Issuer, metadata.Issuer);
        Assert.Equal(new Uri(_op.Issuer + "/jwks"), metadata.JwksUri);
        Assert.Equal(new Uri(_op.Issuer + "/authorize"), metadata.AuthorizationEndpoint);
        Assert.Equal(new Uri(_op.Issuer + "/token"), metadata.TokenEndpoint);
    }

    [Fact]
    public async Task Discovery_IsCachedUntilItsTtl()
    {
        await _validator.ValidateAsync(_op.MintIdToken());
        await _validator.ValidateAsync(_op.MintIdToken());
        Assert.Equal(1, _op.DiscoveryRequests);

        _time.Advance(TimeSpan.FromHours(1) + TimeSpan.FromSeconds(1));
        await _validator.ValidateAsync(_op.MintIdToken());

        Assert.Equal(2, _op.DiscoveryRequests);
    }

    [Fact]
    public async Task Jwks_IsCachedUntilItsTtl()
    {
        await _validator.ValidateAsync(_op.MintIdToken());
        await _validator.ValidateAsync(_op.MintIdToken());
        Assert.Equal(1, _op.JwksRequests);

        _time.Advance(TimeSpan.FromMinutes(10) + TimeSpan.FromSeconds(1));
        await _validator.ValidateAsync(_op.MintIdToken());

        Assert.Equal(2, _op.JwksRequests);
    }

    [Fact]
    public async Task UnknownKid_RefreshesAtMostOncePerInterval()
    {
        await _validator.ValidateAsync(_op.MintIdToken());
        Assert.Equal(1, _op.JwksRequests);

        for (int i = 0; i < 5; i++)
        {
            await Assert.ThrowsAsync<AgentPassportException>(async () => await _validator.ValidateAsync(_op.Tokens.Mint(new() { KeyId = $"made-up-{i}" })));
        }

        Assert.Equal(2, _op.JwksRequests);

        _time.Advance(TimeSpan.FromSeconds(31));
        await Assert.ThrowsAsync<AgentPassportException>(async () => await _validator.ValidateAsync(_op.Tokens.Mint(new() { KeyId = "made-up-again" })));

        Assert.Equal(3, _op.JwksRequests);
    }

    [Fact]
    public async Task UnknownKids_ConcurrentFlood_CausesOneRefresh()
    {
        await _validator.ValidateAsync(_op.MintIdToken());
        var tokens = Enumerable.Range(0, 40).Select(i => _op.Tokens.Mint(new() { KeyId = $"flood-{i}" })).ToArray();

        var outcomes = await Task.WhenAll(tokens.Select(async t =>
        {
            try
            {
                await _validator.ValidateAsync(t);
                return PassportErrorKind.InvalidToken;
            }
            catch (AgentPassportException ex)
            {
                return ex.Kind;
            }
        }));

        Assert.All(outcomes, kind => Assert.Equal(PassportErrorKind.KeyNotFound, kind));
        Assert.Equal(2, _op.JwksRequests);
    }

    [Fact]
    public async Task KeyRotationMidRun_NewKidIsFetchedAndOldKeyStillVerifies()
    {
        string before = _op.MintIdToken();
        await _validator.ValidateAsync(before);

        string newKid = _op.RotateKey(keepPrevious: true);
        string after = _op.MintIdToken();

        Assert.Equal(newKid, Jwt.Header(after)["kid"]!.GetValue<string>());
        Assert.Equal("alice@example.gov", (await _validator.ValidateAsync(after)).Subject);
        Assert.Equal("alice@example.gov", (await _validator.ValidateAsync(before)).Subject);
        Assert.Equal(2, _op.JwksRequests);
        await Oidc.IssueAndVerifyAsync(_validator, _op.MintIdToken(), _time, requireIal: 2);
    }

    [Fact]
    public async Task KeyRotationWithoutOverlap_RetiredKeyIsRefusedAfterRefresh()
    {
        string old = _op.MintIdToken();
        await _validator.ValidateAsync(old);

        _op.RotateKey(keepPrevious: false);
        await _validator.ValidateAsync(_op.MintIdToken());

        // The retired key was dropped from the cache with the refresh.
        var ex = await Assert.ThrowsAsync<AgentPassportException>(async () => await _validator.ValidateAsync(old));
        Assert.Equal(PassportErrorKind.KeyNotFound, ex.Kind);
    }

    [Fact]
    public async Task ProviderBrieflyDown_LastGoodKeysKeepServing()
    {
        await _validator.ValidateAsync(_op.MintIdToken());
        await _op.StopAsync();

        // JWKS cache expired (10 min) but within the stale bound (1 h): the cached keys still serve.
        _time.Advance(TimeSpan.FromMinutes(11));
        var identity = await _validator.ValidateAsync(_op.MintIdToken());

        Assert.Equal("alice@example.gov", identity.Subject);
    }

    [Fact]
    public async Task ProviderDownPastStaleBound_DiscoveryErrorThenRecovers()
    {
        await _validator.ValidateAsync(_op.MintIdToken());
        await _op.StopAsync();

        _time.Advance(TimeSpan.FromMinutes(61));
        var ex = await Oidc.FailsWithin(PassportErrorKind.DiscoveryError, TimeSpan.FromSeconds(5), async () => await _validator.ValidateAsync(_op.MintIdToken()));
        Assert.Contains(_op.DiscoveryUrl.ToString(), ex.Message, StringComparison.Ordinal);

        await _op.StartAsync();
        _time.Advance(TimeSpan.FromMinutes(1));
        var verified = await Oidc.IssueAndVerifyAsync(_validator, _op.MintIdToken(), _time, requireIal: 2);

        Assert.Equal("alice@example.gov", verified.Passport.Subject);
    }

    [Fact]
    public async Task GetSigningKeys_ReturnsPublishedKeys()
    {
        var keys = await _client.GetSigningKeysAsync();

        var key = Assert.Single(keys);
        Assert.Equal(PassportAlgorithms.ES256, key.Algorithm);
    }
}
