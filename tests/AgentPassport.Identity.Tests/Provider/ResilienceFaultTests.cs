using System.Text.Json.Nodes;
using AgentPassport.Identity.Tests.Support;
using AgentPassport.Testing;
using Microsoft.Extensions.Time.Testing;

namespace AgentPassport.Identity.Tests.Provider;

/// <summary>
/// The provider misbehaves (FaultyHttpServer): each fault gives its typed error naming the URL, within the configured time,
/// and validation and issuance recover when the provider is back. Timeouts use the real clock with small values.
/// </summary>
public sealed class ResilienceFaultTests : IAsyncLifetime
{
    // Far below the faulty server's 20 s delay, with room for a loaded 2-core machine.
    private static readonly TimeSpan Quick = TimeSpan.FromSeconds(5);
    private FaultyHttpServer _server = null!;

    public async Task InitializeAsync() => _server = await FaultyHttpServer.StartNewAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task ProviderDown_DiscoveryErrorConnectionRefused_ThenRecovers()
    {
        using var client = Oidc.Client(_server.DiscoveryUrl);
        var validator = Oidc.Validator(client);
        await _server.StopAsync();

        var ex = await Oidc.FailsWithin(PassportErrorKind.DiscoveryError, Quick, async () => await validator.ValidateAsync(_server.Tokens.Mint()));
        Assert.Contains(_server.DiscoveryUrl.ToString(), ex.Message, StringComparison.Ordinal);
        Assert.Contains("refused", ex.Message, StringComparison.Ordinal);

        await _server.StartAsync();
        var verified = await Oidc.IssueAndVerifyAsync(validator, _server.Tokens.Mint(), TimeProvider.System, requireIal: 2);
        Assert.Equal("alice@example.gov", verified.Passport.Subject);
    }

    [Fact]
    public async Task ProviderTooSlow_TimesOutWithinConfiguredTime_ThenRecovers()
    {
        _server.DiscoveryBehavior = FaultyHttpBehavior.Slow;
        _server.SlowDelay = TimeSpan.FromSeconds(20);
        using var client = Oidc.Client(_server.DiscoveryUrl, configure: o =>
        {
            o.RequestTimeout = TimeSpan.FromMilliseconds(250);
            o.MaxRetries = 1;
        });
        var validator = Oidc.Validator(client);

        // Two attempts of 250 ms each: the error comes long before the server would answer.
        var ex = await Oidc.FailsWithin(PassportErrorKind.DiscoveryError, Quick, async () => await validator.ValidateAsync(_server.Tokens.Mint()));
        Assert.Contains("timed out after 250 ms", ex.Message, StringComparison.Ordinal);
        Assert.Equal(2, _server.DiscoveryRequests);

        _server.DiscoveryBehavior = FaultyHttpBehavior.Healthy;
        Assert.Equal("alice@example.gov", (await validator.ValidateAsync(_server.Tokens.Mint())).Subject);
    }

    [Fact]
    public async Task SlowJwks_JwksErrorTimedOut()
    {
        _server.JwksBehavior = FaultyHttpBehavior.Slow;
        _server.SlowDelay = TimeSpan.FromSeconds(20);
        using var client = Oidc.Client(_server.DiscoveryUrl, configure: o =>
        {
            o.RequestTimeout = TimeSpan.FromMilliseconds(250);
            o.MaxRetries = 0;
        });

        var ex = await Oidc.FailsWithin(PassportErrorKind.JwksError, Quick, async () => await Oidc.Validator(client).ValidateAsync(_server.Tokens.Mint()));
        Assert.Contains(_server.JwksUri.ToString(), ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Transient500s_AreRetriedAndValidationSucceeds()
    {
        _server.FailNext(2);
        using var client = Oidc.Client(_server.DiscoveryUrl, configure: o => o.MaxRetries = 2);

        var identity = await Oidc.Validator(client).ValidateAsync(_server.Tokens.Mint());

        Assert.Equal("alice@example.gov", identity.Subject);
        Assert.Equal(3, _server.DiscoveryRequests);
    }

    [Fact]
    public async Task Persistent500s_DiscoveryErrorAfterRetries_ThenRecovers()
    {
        _server.DiscoveryBehavior = FaultyHttpBehavior.ServerError;
        using var client = Oidc.Client(_server.DiscoveryUrl, configure: o => o.MaxRetries = 2);
        var validator = Oidc.Validator(client);

        var ex = await Oidc.FailsWithin(PassportErrorKind.DiscoveryError, Quick, async () => await validator.ValidateAsync(_server.Tokens.Mint()));
        Assert.Contains("HTTP 500 (after 3 attempt(s))", ex.Message, StringComparison.Ordinal);

        _server.DiscoveryBehavior = FaultyHttpBehavior.Healthy;
        var verified = await Oidc.IssueAndVerifyAsync(validator, _server.Tokens.Mint(), TimeProvider.System);
        Assert.Equal("alice@example.gov", verified.Passport.Subject);
    }

    [Fact]
    public async Task NotFound_IsNotRetried()
    {
        _server.DiscoveryBehavior = FaultyHttpBehavior.NotFound;
        using var client = Oidc.Client(_server.DiscoveryUrl, configure: o => o.MaxRetries = 2);

        var ex = await Oidc.FailsWithin(PassportErrorKind.DiscoveryError, Quick, async () => await client.GetMetadataAsync());

        Assert.Contains("HTTP 404", ex.Message, StringComparison.Ordinal);
        Assert.Equal(1, _server.DiscoveryRequests);
    }

    [Fact]
    public async Task CircuitBreaker_OpensAfterRepeatedFailures_AndClosesAfterBreak()
    {
        var time = Oidc.FakeNow();
        _server.DiscoveryBehavior = FaultyHttpBehavior.ServerError;
        using var client = Oidc.Client(_server.DiscoveryUrl, time, o =>
        {
            o.MaxRetries = 0;
            o.CircuitBreakerMinimumThroughput = 2;
            o.CircuitBreakerBreakDuration = TimeSpan.FromSeconds(5);
        });
        await Assert.ThrowsAsync<AgentPassportException>(() => client.GetMetadataAsync());
        await Assert.ThrowsAsync<AgentPassportException>(() => client.GetMetadataAsync());
        int requests = _server.DiscoveryRequests;

        var ex = await Oidc.FailsWithin(PassportErrorKind.DiscoveryError, Quick, () => client.GetMetadataAsync());
        Assert.Contains("circuit breaker is open", ex.Message, StringComparison.Ordinal);
        Assert.Equal(requests, _server.DiscoveryRequests);

        _server.DiscoveryBehavior = FaultyHttpBehavior.Healthy;
        time.Advance(TimeSpan.FromSeconds(6));
        Assert.Equal(_server.Issuer, (await client.GetMetadataAsync()).Issuer);
    }

    [Theory]
    [InlineData(FaultyHttpBehavior.Garbage, "not valid JSON")]
    [InlineData(FaultyHttpBehavior.NonObjectJson, "not a JSON object")]
    [InlineData(FaultyHttpBehavior.MissingJwksUri, "no 'jwks_uri'")]
    [InlineData(FaultyHttpBehavior.WrongIssuer, "does not match the discovery URL's issuer")]
    public async Task BadDiscoveryDocument_DiscoveryErrorNamingTheCause(FaultyHttpBehavior behavior, string cause)
    {
        _server.DiscoveryBehavior = behavior;
        using var client = Oidc.Client(_server.DiscoveryUrl);

        var ex = await Oidc.FailsWithin(PassportErrorKind.DiscoveryError, Quick, async () => await Oidc.Validator(client).ValidateAsync(_server.Tokens.Mint()));

        Assert.Contains(cause, ex.Message, StringComparison.Ordinal);
        Assert.Contains(_server.DiscoveryUrl.ToString(), ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(FaultyHttpBehavior.Garbage, "not valid JSON")]
    [InlineData(FaultyHttpBehavior.NonObjectJson, "not a JSON object")]
    [InlineData(FaultyHttpBehavior.NotAJwks, "not a valid JWKS")]
    public async Task BadJwks_JwksErrorNamingTheCause(FaultyHttpBehavior behavior, string cause)
    {
        _server.JwksBehavior = behavior;
        using var client = Oidc.Client(_server.DiscoveryUrl);

        var ex = await Oidc.FailsWithin(PassportErrorKind.JwksError, Quick, async () => await Oidc.Validator(client).ValidateAsync(_server.Tokens.Mint()));

        Assert.Contains(cause, ex.Message, StringComparison.Ordinal);
        Assert.Contains(_server.JwksUri.ToString(), ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task JwksWithoutTheKid_KeyNotFound_ThenRecoversWhenPublished()
    {
        string token = _server.Tokens.Mint();
        _server.JwksJson = "{\"keys\":[]}";
        using var client = Oidc.Client(_server.DiscoveryUrl);
        var validator = Oidc.Validator(client);

        var ex = await Oidc.FailsWithin(PassportErrorKind.KeyNotFound, Quick, async () => await validator.ValidateAsync(token));
        Assert.Contains(Jwt.Header(token)["kid"]!.GetValue<string>(), ex.Message, StringComparison.Ordinal);

        // The provider publishes the key again: the one unknown-kid refresh finds it.
        _server.JwksJson = null;
        Assert.Equal("alice@example.gov", (await validator.ValidateAsync(token)).Subject);
        Assert.Equal(2, _server.JwksRequests);
    }

    [Fact]
    public async Task Jwks_KeysAreFilteredByUseAlgKidAndType()
    {
        var good = JsonNode.Parse(_server.Tokens.GetJwksJson())!["keys"]![0]!.AsObject();
        JsonObject Variant(Action<JsonObject> edit)
        {
            var copy = good.DeepClone().AsObject();
            edit(copy);
            return copy;
        }

        var keys = new JsonArray(
            Variant(k => k["kid"] = "good"),
            Variant(k => { k["kid"] = "enc"; k["use"] = "enc"; }),
            Variant(k => { k["kid"] = "hs"; k["alg"] = "HS256"; }),
            Variant(k => k.Remove("kid")),
            Variant(k => { k["kid"] = "wrong-kty"; k["kty"] = "RSA"; }),
            Variant(k => { k["kid"] = "no-alg"; k.Remove("alg"); }),
            Variant(k => k["kid"] = "twice"),
            Variant(k => k["kid"] = "twice"));
        _server.JwksJson = new JsonObject { ["keys"] = keys }.ToJsonString();
        using var client = Oidc.Client(_server.DiscoveryUrl);

        var usable = await client.GetSigningKeysAsync();

        // "good" and "no-alg" (bound to ES256, the one allowed EC algorithm); the duplicate kid is ambiguous and dropped.
        Assert.Equal(2, usable.Count);
        Assert.Equal(PassportAlgorithms.ES256, (await client.GetSigningKeyAsync("good", PassportAlgorithms.ES256)).Algorithm);
        Assert.Equal(PassportAlgorithms.ES256, (await client.GetSigningKeyAsync("no-alg", PassportAlgorithms.ES256)).Algorithm);
        await Assert.ThrowsAsync<AgentPassportException>(() => client.GetSigningKeyAsync("no-alg", PassportAlgorithms.RS256));
        foreach (var kid in new[] { "enc", "hs", "wrong-kty", "twice" })
        {
            var ex = await Assert.ThrowsAsync<AgentPassportException>(() => client.GetSigningKeyAsync(kid, PassportAlgorithms.ES256));
            Assert.Equal(PassportErrorKind.KeyNotFound, ex.Kind);
        }
    }

    [Fact]
    public async Task Jwks_RsaKeyWithoutAlg_IsBoundToEachAllowedRsaAlgorithm()
    {
        using var rsa = new MockIdTokenMinter(_server.Issuer, "c", algorithm: "RS256");
        var jwk = JsonNode.Parse(rsa.GetJwksJson())!["keys"]![0]!.AsObject();
        jwk.Remove("alg");
        _server.JwksJson = new JsonObject { ["keys"] = new JsonArray(jwk.DeepClone()) }.ToJsonString();
        using var client = Oidc.Client(_server.DiscoveryUrl);

        var usable = await client.GetSigningKeysAsync();

        Assert.Equal([PassportAlgorithms.PS256, PassportAlgorithms.RS256], usable.Select(k => k.Algorithm).Order(StringComparer.Ordinal));
        await Assert.ThrowsAsync<AgentPassportException>(() => client.GetSigningKeyAsync(rsa.CurrentKeyId, PassportAlgorithms.ES256));
    }

    [Fact]
    public async Task StaleDocumentWhileProviderFails_ServedWithoutWaitingAgain()
    {
        var time = Oidc.FakeNow();
        await using var server = await FaultyHttpServer.StartNewAsync(timeProvider: time);
        using var client = Oidc.Client(server.DiscoveryUrl, time, o => o.DiscoveryCacheDuration = TimeSpan.FromMinutes(5));
        var validator = Oidc.Validator(client);
        await validator.ValidateAsync(server.Tokens.Mint());
        server.DiscoveryBehavior = FaultyHttpBehavior.ServerError;

        time.Advance(TimeSpan.FromMinutes(6));
        await validator.ValidateAsync(server.Tokens.Mint());
        int afterFirstFailure = server.DiscoveryRequests;
        await validator.ValidateAsync(server.Tokens.Mint());

        // The failed refresh is not repeated within the refresh interval; the stale document keeps serving.
        Assert.Equal(afterFirstFailure, server.DiscoveryRequests);
    }
}
