using AgentPassport.Tests.Support;

namespace AgentPassport.Tests.Revocation;

/// <summary>Spec v1.1 §12: revoking a link stops every descendant, on the cold path and on every cache hit.</summary>
public sealed class RevocationCascadeTests : IDisposable
{
    private readonly PassportTestContext _ctx = new();
    private readonly InMemoryRevocationStore _store;

    public RevocationCascadeTests() => _store = new InMemoryRevocationStore(_ctx.Time);

    private PassportVerifier Verifier(VerifiedChainCache? cache = null) => new(_ctx.Keys, _ctx.Time, cache) { Revocations = _store };

    private static VerificationPolicy PolicyFor(IssuedPassport p) => PassportTestContext.Policy(p.Passport.Audience);

    [Fact]
    public async Task RevokeBob_Cold_CarolRefusedNamingBobsLink_AliceStillAllowed()
    {
        var (alice, bob, carol) = await _ctx.AliceBobCarolAsync();
        var verifier = Verifier();

        await _store.RevokeAsync(RevocationEntry.ForPassport(bob.Passport));

        var carolResult = await verifier.ValidateAsync(carol.Token, PolicyFor(carol), carol.ChainTokens);
        Assert.Equal(PassportErrorKind.Revoked, carolResult.Error!.Kind);
        Assert.Equal("AP0040", carolResult.Error.Code);
        Assert.Equal(1, carolResult.Error.ChainIndex);
        Assert.Equal(bob.Passport.TokenId, carolResult.Error.Details.RevokedTokenId);
        Assert.Equal(RevocationEntryKind.TokenId, carolResult.Error.Details.RevocationKind);
        Assert.Contains("agent:bob", carolResult.Error.Message);

        var bobResult = await verifier.ValidateAsync(bob.Token, PolicyFor(bob), bob.ChainTokens);
        Assert.Equal(PassportErrorKind.Revoked, bobResult.Error!.Kind);
        Assert.Null(bobResult.Error.ChainIndex);

        Assert.True((await verifier.ValidateAsync(alice.Token, PolicyFor(alice), alice.ChainTokens)).Succeeded);
    }

    [Fact]
    public async Task RevokeBob_AfterCarolIsCached_NextCacheHitIsRefused()
    {
        var (alice, bob, carol) = await _ctx.AliceBobCarolAsync();
        var cache = new VerifiedChainCache();
        var verifier = Verifier(cache);
        Assert.True((await verifier.ValidateAsync(carol.Token, PolicyFor(carol), carol.ChainTokens)).Succeeded);
        Assert.True((await verifier.ValidateAsync(alice.Token, PolicyFor(alice), alice.ChainTokens)).Succeeded);
        int cached = cache.Count;

        await _store.RevokeAsync(RevocationEntry.ForPassport(bob.Passport));

        var hit = await verifier.ValidateAsync(carol.Token, PolicyFor(carol), carol.ChainTokens);
        Assert.Equal(PassportErrorKind.Revoked, hit.Error!.Kind);
        Assert.Equal(1, hit.Error.ChainIndex);
        Assert.Equal(cached, cache.Count); // served from the cache entry: the re-check is on the hit itself
        Assert.True((await verifier.ValidateAsync(alice.Token, PolicyFor(alice), alice.ChainTokens)).Succeeded);
    }

    [Fact]
    public async Task RevokeAlice_NewLeafUnderCachedParents_IsRefusedAtTheRoot()
    {
        var (alice, bob, carol) = await _ctx.AliceBobCarolAsync();
        var cache = new VerifiedChainCache();
        var verifier = Verifier(cache);
        Assert.True((await verifier.ValidateAsync(carol.Token, PolicyFor(carol), carol.ChainTokens)).Succeeded);
        var dave = await _ctx.DelegateAsync(bob, "agent:dave", ["flights:search"], PassportTestContext.FlightsAudience);

        await _store.RevokeAsync(RevocationEntry.ForPassport(alice.Passport));

        var result = await verifier.ValidateAsync(dave.Token, PolicyFor(dave), dave.ChainTokens);
        Assert.Equal(PassportErrorKind.Revoked, result.Error!.Kind);
        Assert.Equal(0, result.Error.ChainIndex);
    }

    [Fact]
    public async Task RevokeSubjectBeforeT_StopsEveryPassportIssuedBefore_NotThoseAfter()
    {
        var (alice, _, carol) = await _ctx.AliceBobCarolAsync();
        var verifier = Verifier(new VerifiedChainCache());
        Assert.True((await verifier.ValidateAsync(carol.Token, PolicyFor(carol), carol.ChainTokens)).Succeeded);

        _ctx.Time.Advance(TimeSpan.FromSeconds(1));
        await _store.RevokeAsync(RevocationEntry.ForSubject(PassportTestContext.Principal, _ctx.Time.GetUtcNow()));

        var carolResult = await verifier.ValidateAsync(carol.Token, PolicyFor(carol), carol.ChainTokens);
        Assert.Equal(PassportErrorKind.Revoked, carolResult.Error!.Kind);
        Assert.Equal(0, carolResult.Error.ChainIndex);
        Assert.Equal(RevocationEntryKind.Subject, carolResult.Error.Details.RevocationKind);
        Assert.Equal(PassportErrorKind.Revoked, (await verifier.ValidateAsync(alice.Token, PolicyFor(alice))).Error!.Kind);

        _ctx.Time.Advance(TimeSpan.FromSeconds(1));
        var fresh = _ctx.IssueAlice();
        Assert.True((await verifier.ValidateAsync(fresh.Token, PolicyFor(fresh))).Succeeded);
    }

    [Fact]
    public async Task RevokeAgentBeforeT_StopsThatAgentAndItsDescendants_NotItsParent()
    {
        var (alice, bob, carol) = await _ctx.AliceBobCarolAsync();
        var verifier = Verifier();
        _ctx.Time.Advance(TimeSpan.FromSeconds(1));

        await _store.RevokeAsync(RevocationEntry.ForAgent("agent:bob", _ctx.Time.GetUtcNow()));

        var carolResult = await verifier.ValidateAsync(carol.Token, PolicyFor(carol), carol.ChainTokens);
        Assert.Equal(PassportErrorKind.Revoked, carolResult.Error!.Kind);
        Assert.Equal(1, carolResult.Error.ChainIndex);
        Assert.Equal(RevocationEntryKind.Agent, carolResult.Error.Details.RevocationKind);
        Assert.True((await verifier.ValidateAsync(alice.Token, PolicyFor(alice))).Succeeded);

        _ctx.Time.Advance(TimeSpan.FromSeconds(1));
        var newBob = await _ctx.DelegateAsync(alice, "agent:bob", ["flights:*"], PassportTestContext.BobAudience);
        Assert.True((await verifier.ValidateAsync(newBob.Token, PolicyFor(newBob), newBob.ChainTokens)).Succeeded);
        Assert.Equal(PassportErrorKind.Revoked, (await verifier.ValidateAsync(bob.Token, PolicyFor(bob), bob.ChainTokens)).Error!.Kind);
    }

    [Fact]
    public async Task IssuerWithStore_RefusesToDelegateFromRevokedParentOrAncestor()
    {
        var (alice, bob, carol) = await _ctx.AliceBobCarolAsync();
        var issuer = new PassportIssuer(new PassportIssuerOptions
        {
            IssuerUrl = PassportTestContext.IssuerUrl,
            KeyStore = _ctx.Keys,
            TimeProvider = _ctx.Time,
            Revocations = _store,
        });
        var verifiedCarol = await _ctx.VerifyAsync(carol); // verified before the revocation (a stale VerifiedPassport)
        var verifiedAlice = await _ctx.VerifyAsync(alice);

        await _store.RevokeAsync(RevocationEntry.ForPassport(bob.Passport));

        var request = new DelegationRequest { AgentId = "agent:dave", AgentModel = "m", Audience = PassportTestContext.FlightsAudience, ToolScope = ["flights:book"] };
        var refused = Assert.Throws<AgentPassportException>(() => issuer.Delegate(verifiedCarol, request));
        Assert.Equal(PassportErrorKind.Revoked, refused.Kind);
        Assert.Equal(1, refused.Error.ChainIndex);
        Assert.NotNull(issuer.Delegate(verifiedAlice, request with { Audience = PassportTestContext.BobAudience }));
    }

    [Fact]
    public async Task UnavailableStore_FailsClosed_OnColdAndCachedPaths()
    {
        var (alice, _, carol) = await _ctx.AliceBobCarolAsync();
        var stale = new SwitchableStore();
        var verifier = new PassportVerifier(_ctx.Keys, _ctx.Time, new VerifiedChainCache()) { Revocations = stale };
        Assert.True((await verifier.ValidateAsync(carol.Token, PolicyFor(carol), carol.ChainTokens)).Succeeded);

        stale.Unavailable = "snapshot is 6 s old";

        var hit = await verifier.ValidateAsync(carol.Token, PolicyFor(carol), carol.ChainTokens);
        Assert.Equal(PassportErrorKind.RevocationUnavailable, hit.Error!.Kind);
        Assert.Equal("AP0041", hit.Error.Code);
        Assert.Contains("6 s old", hit.Error.Message);
        Assert.Equal(PassportErrorKind.RevocationUnavailable, (await verifier.ValidateAsync(alice.Token, PolicyFor(alice))).Error!.Kind);

        stale.Unavailable = null;
        Assert.True((await verifier.ValidateAsync(carol.Token, PolicyFor(carol), carol.ChainTokens)).Succeeded);
    }

    [Fact]
    public async Task RevocationIsCheckedAfterSignatures_AForgedTokenIsNotReportedAsRevoked()
    {
        var alice = _ctx.IssueAlice();
        await _store.RevokeAsync(RevocationEntry.ForPassport(alice.Passport));
        // A character inside the signature, not its last one: the last carries unused bits, so changing it may make the
        // encoding non-canonical (InvalidToken) instead of the signature wrong.
        int i = alice.Token.Length - 10;
        var tampered = alice.Token[..i] + (alice.Token[i] == 'A' ? 'B' : 'A') + alice.Token[(i + 1)..];

        var result = await Verifier().ValidateAsync(tampered, PolicyFor(alice));

        Assert.Equal(PassportErrorKind.InvalidSignature, result.Error!.Kind);
    }

    public void Dispose() => _ctx.Dispose();

    /// <summary>A store whose freshness the test controls (what a Redis store past its staleness bound reports).</summary>
    private sealed class SwitchableStore : IRevocationStore
    {
        public string? Unavailable { get; set; }

        public bool TryGetCurrent([System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out RevocationSet? revocations, [System.Diagnostics.CodeAnalysis.NotNullWhen(false)] out string? unavailableReason)
        {
            unavailableReason = Unavailable;
            revocations = Unavailable is null ? RevocationSet.Empty : null;
            return Unavailable is null;
        }

        public ValueTask RevokeAsync(RevocationEntry entry, CancellationToken cancellationToken = default) => ValueTask.CompletedTask;
    }
}
