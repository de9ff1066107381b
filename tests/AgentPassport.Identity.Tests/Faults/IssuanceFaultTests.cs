using AgentPassport.Identity.Tests.Support;
using AgentPassport.Testing;
using AgentPassport.TestSupport.Faults;
using Xunit.Abstractions;

namespace AgentPassport.Identity.Tests.Faults;

/// <summary>
/// Issue 9 item 5, issuance: the identity provider's discovery or JWKS endpoint is down, slow or returns garbage while a
/// root Passport is minted from an ID token (<c>PassportIssuer.IssueAsync(validator, idToken, grant)</c>). Each failing
/// call ends within <see cref="Latency.Bound"/> with a typed error naming the cause, nothing is issued for an ID token
/// signed by a key the provider never published, and issuance recovers when the provider does.
/// </summary>
public sealed class IssuanceFaultTests(ITestOutputHelper output) : IAsyncLifetime
{
    private FaultyHttpServer _idp = null!;

    public async Task InitializeAsync() => _idp = await FaultyHttpServer.StartNewAsync();

    public async Task DisposeAsync() => await _idp.DisposeAsync();

    public static TheoryData<Fault, bool> Cases() => new()
    {
        { Fault.Down, true },
        { Fault.Slow, true },
        { Fault.ServerError, true },
        { Fault.Garbage, true },
        { Fault.NonObjectJson, true },
        { Fault.Slow, false },
        { Fault.ServerError, false },
        { Fault.Garbage, false },
        { Fault.NonObjectJson, false },
        { Fault.NotAJwks, false },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task ColdProvider_Fault_TypedErrorWithinBound_NothingIssued_ThenRecovers(Fault fault, bool discovery)
    {
        using var client = FastClient(fault: fault);
        var validator = Oidc.Validator(client);
        var issuer = Oidc.Issuer(TimeProvider.System, out var keys);
        using var _ = keys;
        await FaultInjection.ApplyAsync(_idp, fault, discovery);

        var ex = await Latency.FailsWithinAsync(output, $"issuance, cold, {(discovery ? "discovery" : "JWKS")} {fault}",
            () => issuer.IssueAsync(validator, _idp.Tokens.Mint(), Oidc.Grant()));

        Assert.Equal(discovery || fault == Fault.Down ? PassportErrorKind.DiscoveryError : PassportErrorKind.JwksError, ex.Kind);
        Assert.Contains(FaultInjection.Cause(fault), ex.Message, StringComparison.Ordinal);

        await FaultInjection.HealAsync(_idp);
        var issued = await issuer.IssueAsync(validator, _idp.Tokens.Mint(), Oidc.Grant());
        var verified = await new PassportVerifier(keys).VerifyAsync(issued.Token, new VerificationPolicy(Oidc.PassportIssuerUrl, Oidc.Audience) { RequireIal = 2 });
        Assert.Equal("alice@example.gov", verified.Passport.Subject);
    }

    [Theory]
    [InlineData(Fault.Down)]
    [InlineData(Fault.Slow)]
    [InlineData(Fault.ServerError)]
    [InlineData(Fault.Garbage)]
    [InlineData(Fault.NotAJwks)]
    public async Task WarmProvider_JwksFault_KnownKeyStillIssues_UnknownKeyNeverIssues(Fault fault)
    {
        using var client = FastClient();
        var validator = Oidc.Validator(client);
        var issuer = Oidc.Issuer(TimeProvider.System, out var keys);
        using var _ = keys;
        await issuer.IssueAsync(validator, _idp.Tokens.Mint(), Oidc.Grant());
        using var impostor = new MockIdTokenMinter(_idp.Issuer, "agent-passport-tests");
        await FaultInjection.ApplyAsync(_idp, fault, discovery: false);

        // The cached discovery document and keys serve a token signed by the published key...
        var issued = await Latency.WithinAsync(output, $"issuance, warm, JWKS {fault}, known key",
            () => issuer.IssueAsync(validator, _idp.Tokens.Mint(), Oidc.Grant()));
        Assert.Equal("alice@example.gov", issued.Passport.Subject);

        // ...and a token signed by a key the provider never published is refused, however the refresh fails.
        var ex = await Latency.FailsWithinAsync(output, $"issuance, warm, JWKS {fault}, unknown key",
            () => issuer.IssueAsync(validator, impostor.Mint(), Oidc.Grant()));
        Assert.Equal(PassportErrorKind.KeyNotFound, ex.Kind);
    }

    [Fact]
    public async Task Transient500s_RetriedWithinOneCall_IssuanceSucceeds()
    {
        using var client = FastClient();
        var issuer = Oidc.Issuer(TimeProvider.System, out var keys);
        using var _ = keys;
        _idp.FailNext(1);

        var issued = await Latency.WithinAsync(output, "issuance, one transient 500",
            () => issuer.IssueAsync(Oidc.Validator(client), _idp.Tokens.Mint(), Oidc.Grant()));

        Assert.Equal("alice@example.gov", issued.Passport.Subject);
        Assert.Equal(2, _idp.DiscoveryRequests);
    }

    [Fact]
    public async Task ConcurrentIssuance_DuringJwksOutage_AllFailFastAndTyped_NoneIssued()
    {
        using var client = FastClient(retries: 0);
        var validator = Oidc.Validator(client);
        var issuer = Oidc.Issuer(TimeProvider.System, out var keys);
        using var _ = keys;
        await client.GetMetadataAsync();
        await FaultInjection.ApplyAsync(_idp, Fault.Slow, discovery: false);
        string idToken = _idp.Tokens.Mint();

        // 100 logins at once while the JWKS hangs: the callers queued behind the one fetch share its failure
        // instead of each waiting out another timeout (100 x 250 ms otherwise).
        var outcomes = await Latency.WithinAsync(output, "100 concurrent issuances, JWKS slow", () => Task.WhenAll(Enumerable.Range(0, 100).Select(_ => Task.Run(async () =>
        {
            try
            {
                await issuer.IssueAsync(validator, idToken, Oidc.Grant());
                return (PassportErrorKind?)null;
            }
            catch (AgentPassportException ex)
            {
                return ex.Kind;
            }
        }))));

        Assert.All(outcomes, kind => Assert.Equal(PassportErrorKind.JwksError, kind));
        Assert.True(_idp.JwksRequests <= 2, $"{_idp.JwksRequests} JWKS requests for 100 queued callers");
    }

    // 250 ms makes a hung provider fail fast; faults that answer at once get 1 s, so a loaded CI machine's first
    // (cold) request is not mistaken for a timeout and the test still sees the fault it injected.
    private OpenIdProviderClient FastClient(int retries = 1, Fault? fault = null) => Oidc.Client(_idp.DiscoveryUrl, configure: o =>
    {
        o.RequestTimeout = fault is null or Fault.Slow ? TimeSpan.FromMilliseconds(250) : TimeSpan.FromSeconds(1);
        o.MaxRetries = retries;
    });
}
