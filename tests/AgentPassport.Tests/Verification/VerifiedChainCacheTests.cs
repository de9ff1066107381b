using System.Reflection;
using AgentPassport.Tests.Support;

namespace AgentPassport.Tests.Verification;

/// <summary>The opt-in verified-chain cache: what it serves, when it stops serving, and that it never skips a check.</summary>
public sealed class VerifiedChainCacheTests : IDisposable
{
    private readonly PassportTestContext _ctx = new();
    private readonly CountingResolver _resolver;
    private readonly VerifiedChainCache _cache = new(capacity: 64);
    private readonly PassportVerifier _verifier;

    public VerifiedChainCacheTests()
    {
        _resolver = new CountingResolver(_ctx.Keys);
        _verifier = new PassportVerifier(_resolver, _ctx.Time, _cache);
    }

    [Fact]
    public async Task SameChainTwice_SecondCallIsAHit_NoSignatureWorkAndSameResult()
    {
        var (alice, bob, carol) = await _ctx.AliceBobCarolAsync();
        var policy = PassportTestContext.Policy(PassportTestContext.FlightsAudience, "flights:book");

        var first = await _verifier.VerifyAsync(carol.Token, policy, [alice.Token, bob.Token]);
        int lookupsCold = _resolver.Lookups;
        var second = await _verifier.VerifyAsync(carol.Token, policy, [alice.Token, bob.Token]);

        Assert.Equal(3, lookupsCold);                   // one per token on the cold path
        Assert.Equal(1, _resolver.Lookups - lookupsCold); // the hit only re-checks the one distinct key
        Assert.Equal(first.Passport, second.Passport);
        Assert.Equal([alice.Token, bob.Token], second.ChainTokens);
        Assert.Equal(carol.Token, second.Token);
    }

    [Fact]
    public async Task Hit_StopsServingAfterEarliestExpPlusSkew_ThenExpiredIsReported()
    {
        var (alice, bob, carol) = await _ctx.AliceBobCarolAsync();
        var policy = PassportTestContext.Policy(PassportTestContext.FlightsAudience);
        await _verifier.VerifyAsync(carol.Token, policy, [alice.Token, bob.Token]);

        // A child never outlives its parent, so the earliest exp is Carol's; the entry must stop there (+ skew).
        var earliest = new[] { alice.Passport.ExpiresAt, bob.Passport.ExpiresAt, carol.Passport.ExpiresAt }.Min();
        _ctx.Time.SetUtcNow(earliest + policy.ClockSkew);
        Assert.True((await _verifier.ValidateAsync(carol.Token, policy, [alice.Token, bob.Token])).Succeeded);

        _ctx.Time.Advance(TimeSpan.FromSeconds(1));
        int before = _resolver.Lookups;
        var result = await _verifier.ValidateAsync(carol.Token, policy, [alice.Token, bob.Token]);

        Assert.False(result.Succeeded);
        Assert.Equal(PassportErrorKind.Expired, result.Error.Kind);
        Assert.True(_resolver.Lookups - before >= 1); // went down the cold path, which looked the key up again
    }

    [Fact]
    public async Task KeyRotatedAway_ResolverNoLongerHasKey_EntryEvictedAndKeyNotFound()
    {
        var alice = _ctx.IssueAlice();
        var policy = PassportTestContext.Policy(PassportTestContext.AliceAudience);
        await _verifier.VerifyAsync(alice.Token, policy);
        Assert.True((await _verifier.ValidateAsync(alice.Token, policy)).Succeeded);
        int entries = _cache.Count;

        // Rotate to a resolver that only knows the new key (the old one was revoked).
        _ctx.Keys.Rotate();
        _resolver.Inner = new JwksPassportKeyResolver([_ctx.Keys.CurrentSigningKey.PublicKey]);
        var result = await _verifier.ValidateAsync(alice.Token, policy);

        Assert.False(result.Succeeded);
        Assert.Equal(PassportErrorKind.KeyNotFound, result.Error.Kind);
        Assert.Equal(entries - 1, _cache.Count);
    }

    [Fact]
    public async Task KeyReplacedUnderSameKid_EntryNotServed()
    {
        var alice = _ctx.IssueAlice();
        var policy = PassportTestContext.Policy(PassportTestContext.AliceAudience);
        await _verifier.VerifyAsync(alice.Token, policy);

        // A resolver that now maps the token's kid to a different public key.
        string kid = _ctx.Keys.CurrentSigningKey.KeyId;
        using var other = PassportSigningKey.Generate();
        _resolver.Inner = new MappingResolver(kid, other.PublicKey);
        var result = await _verifier.ValidateAsync(alice.Token, policy);

        Assert.Equal(PassportErrorKind.InvalidSignature, result.Error!.Kind);
    }

    [Fact]
    public async Task ChainPolicyChange_IsAMiss()
    {
        var alice = _ctx.IssueAlice();
        var policy = PassportTestContext.Policy(PassportTestContext.AliceAudience);
        await _verifier.VerifyAsync(alice.Token, policy);

        // Same values in a new policy object: a hit (nothing new stored).
        int entries = _cache.Count;
        Assert.True((await _verifier.ValidateAsync(alice.Token, PassportTestContext.Policy(PassportTestContext.AliceAudience))).Succeeded);
        Assert.Equal(entries, _cache.Count);

        // A different skew: a miss, verified cold and stored under the new policy.
        var stricter = new VerificationPolicy(PassportTestContext.IssuerUrl, PassportTestContext.AliceAudience) { ClockSkew = TimeSpan.FromSeconds(5) };
        Assert.True((await _verifier.ValidateAsync(alice.Token, stricter)).Succeeded);
        Assert.Equal(entries + 1, _cache.Count);

        // An issuer list that no longer trusts the issuer: a miss, and the cold path refuses.
        var otherIssuer = new VerificationPolicy("https://someone-else.test", PassportTestContext.AliceAudience);
        var result = await _verifier.ValidateAsync(alice.Token, otherIssuer);
        Assert.Equal(PassportErrorKind.UntrustedIssuer, result.Error!.Kind);
    }

    [Fact]
    public async Task LeafPolicyChange_IsCheckedOnEveryHit()
    {
        var (alice, bob, carol) = await _ctx.AliceBobCarolAsync();
        var chain = new[] { alice.Token, bob.Token };
        await _verifier.VerifyAsync(carol.Token, PassportTestContext.Policy(PassportTestContext.FlightsAudience, "flights:book"), chain);

        var scope = await _verifier.ValidateAsync(carol.Token, PassportTestContext.Policy(PassportTestContext.FlightsAudience, "hotels:book"), chain);
        var audience = await _verifier.ValidateAsync(carol.Token, PassportTestContext.Policy(PassportTestContext.BobAudience), chain);
        var ial = await _verifier.ValidateAsync(carol.Token, PassportTestContext.Policy(PassportTestContext.FlightsAudience, requireIal: 3), chain);

        Assert.Equal(PassportErrorKind.ScopeViolation, scope.Error!.Kind);
        Assert.Equal(PassportErrorKind.AudienceMismatch, audience.Error!.Kind);
        Assert.Equal(PassportErrorKind.IALInsufficient, ial.Error!.Kind);
    }

    [Fact]
    public async Task DifferentChain_IsAMiss_AndBrokenLinksStillFail()
    {
        var (alice, bob, carol) = await _ctx.AliceBobCarolAsync();
        var policy = PassportTestContext.Policy(PassportTestContext.FlightsAudience);
        await _verifier.VerifyAsync(carol.Token, policy, [alice.Token, bob.Token]);

        // Same leaf, a different (wrong) chain: not served from the cache.
        var otherAlice = _ctx.IssueAlice();
        var swapped = await _verifier.ValidateAsync(carol.Token, policy, [otherAlice.Token, bob.Token]);
        var dropped = await _verifier.ValidateAsync(carol.Token, policy, [bob.Token]);
        var reordered = await _verifier.ValidateAsync(carol.Token, policy, [bob.Token, alice.Token]);

        Assert.Equal(PassportErrorKind.ChainBroken, swapped.Error!.Kind);
        Assert.Equal(ChainBrokenReason.ParentJtiMismatch, swapped.Error.ChainReason);
        Assert.Equal(PassportErrorKind.ChainBroken, dropped.Error!.Kind);
        Assert.Equal(PassportErrorKind.ChainBroken, reordered.Error!.Kind);
    }

    [Fact]
    public async Task TamperedTokenWithSameSuffix_IsAMiss()
    {
        var alice = _ctx.IssueAlice();
        var policy = PassportTestContext.Policy(PassportTestContext.AliceAudience);
        await _verifier.VerifyAsync(alice.Token, policy);

        // Change one character of the payload; the signature tail (what the bucket hash reads) is unchanged.
        int dot = alice.Token.IndexOf('.', StringComparison.Ordinal);
        char[] chars = alice.Token.ToCharArray();
        chars[dot + 5] = chars[dot + 5] == 'A' ? 'B' : 'A';
        var result = await _verifier.ValidateAsync(new string(chars), policy);

        Assert.False(result.Succeeded);
    }

    [Fact]
    public async Task NewLeafUnderCachedParents_VerifiesOnlyTheLeaf_AndStillChecksTheLink()
    {
        var (alice, bob, carol) = await _ctx.AliceBobCarolAsync();
        var chain = new[] { alice.Token, bob.Token };
        var policy = PassportTestContext.Policy(PassportTestContext.FlightsAudience);
        await _verifier.VerifyAsync(carol.Token, policy, chain);

        var bobVerified = await _ctx.VerifyAsync(bob);
        var carol2 = _ctx.Issuer.Delegate(bobVerified, new DelegationRequest
        {
            AgentId = "agent:carol2",
            AgentModel = "m",
            Audience = PassportTestContext.FlightsAudience,
            ToolScope = ["flights:search"],
        });
        int before = _resolver.Lookups;
        var verified = await _verifier.VerifyAsync(carol2.Token, policy, chain);

        Assert.Equal("agent:carol2", verified.Passport.AgentId);
        Assert.Equal(2, _resolver.Lookups - before); // parents' key re-check + the leaf's own lookup

        // A leaf whose parent is someone else, presented under the cached parents: the link check still runs.
        var stranger = _ctx.Issuer.Delegate(await _ctx.VerifyAsync(alice), new DelegationRequest
        {
            AgentId = "agent:mallory",
            AgentModel = "m",
            Audience = PassportTestContext.FlightsAudience,
            ToolScope = ["flights:book"],
        });
        var result = await _verifier.ValidateAsync(stranger.Token, policy, chain);
        Assert.Equal(PassportErrorKind.ChainBroken, result.Error!.Kind);
    }

    [Fact]
    public async Task NotYetValidAfterClockSetBack_IsNotServed()
    {
        var alice = _ctx.IssueAlice();
        var policy = PassportTestContext.Policy(PassportTestContext.AliceAudience);
        await _verifier.VerifyAsync(alice.Token, policy);

        var earlier = new FakeClock(alice.Passport.IssuedAt - TimeSpan.FromMinutes(10));
        var verifier = new PassportVerifier(_resolver, earlier, _cache);
        var result = await verifier.ValidateAsync(alice.Token, policy);

        Assert.Equal(PassportErrorKind.NotYetValid, result.Error!.Kind);
    }

    [Fact]
    public async Task NullChainElement_IsATypedError_NotAnException()
    {
        var (alice, bob, carol) = await _ctx.AliceBobCarolAsync();
        var policy = PassportTestContext.Policy(PassportTestContext.FlightsAudience);
        await _verifier.VerifyAsync(carol.Token, policy, [alice.Token, bob.Token]);

        var result = await _verifier.ValidateAsync(carol.Token, policy, [alice.Token, null!]);

        Assert.Equal(PassportErrorKind.InvalidToken, result.Error!.Kind);
    }

    [Fact]
    public async Task AsynchronousResolver_HitsAndEvictsTheSameWay()
    {
        var resolver = new YieldingResolver(_ctx.Keys);
        var verifier = new PassportVerifier(resolver, _ctx.Time, new VerifiedChainCache());
        var (alice, bob, carol) = await _ctx.AliceBobCarolAsync();
        var policy = PassportTestContext.Policy(PassportTestContext.FlightsAudience, "flights:book");
        var chain = new[] { alice.Token, bob.Token };

        var first = await verifier.VerifyAsync(carol.Token, policy, chain);
        var second = await verifier.VerifyAsync(carol.Token, policy, chain);
        Assert.Same(first.Passport, second.Passport); // served from the cache

        resolver.Revoked = true;
        var revoked = await verifier.ValidateAsync(carol.Token, policy, chain);
        Assert.Equal(PassportErrorKind.KeyNotFound, revoked.Error!.Kind);
    }

    [Fact]
    public async Task ResolverFailsAfterAHit_IsTheTypedResolverError_NotAnEscape()
    {
        var alice = _ctx.IssueAlice();
        var policy = PassportTestContext.Policy(PassportTestContext.AliceAudience);
        await _verifier.VerifyAsync(alice.Token, policy);

        _resolver.Inner = new FailingResolver();
        var result = await _verifier.ValidateAsync(alice.Token, policy);

        Assert.Equal(PassportErrorKind.JwksError, result.Error!.Kind);
    }

    [Fact]
    public async Task Capacity_IsABound()
    {
        var cache = new VerifiedChainCache(capacity: 4);
        var verifier = new PassportVerifier(_ctx.Keys, _ctx.Time, cache);
        var policy = PassportTestContext.Policy(PassportTestContext.AliceAudience);
        for (int i = 0; i < 20; i++)
        {
            await verifier.VerifyAsync(_ctx.IssueAlice().Token, policy);
            Assert.InRange(cache.Count, 1, 4);
        }

        cache.Clear();
        Assert.Equal(0, cache.Count);
    }

    [Fact]
    public void Capacity_OutOfRange_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new VerifiedChainCache(0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new VerifiedChainCache(1_000_001));
    }

    [Fact]
    public void EveryPolicyProperty_IsEitherPartOfTheKeyOrCheckedOnEveryCall()
    {
        // Keyed (spec §5 steps 1–4 and 6 read them) or re-checked on every hit (step 5 and the chain shape).
        // A new VerificationPolicy property must be added to one list, and to the cache key if it is in the first.
        string[] keyed = ["Issuers", "ClockSkew", "AllowedAlgorithms", "MaxChainDepth", "MaxTokenBytes", "MaxLifetime"];
        // The holder-binding values (spec v1.1 §11) are read by the proof check, which runs on every call: a proof is never cached.
        string[] perCall = ["Audience", "RequireIal", "RequireAal", "RequireFal", "RequiredScope", "AllowWildcardScope",
            "RequireHolderBinding", "RequireArgumentBinding", "ProofWindow", "AllowedProofAlgorithms"];

        var properties = typeof(VerificationPolicy).GetProperties(BindingFlags.Public | BindingFlags.Instance).Select(p => p.Name).Order();

        Assert.Equal(keyed.Concat(perCall).Order(), properties);
    }

    public void Dispose() => _ctx.Dispose();

    /// <summary>Counts lookups; the inner resolver can be swapped to simulate rotation or revocation.</summary>
    private sealed class CountingResolver(IPassportKeyResolver inner) : IPassportKeyResolver
    {
        private int _lookups;

        public IPassportKeyResolver Inner { get; set; } = inner;

        public int Lookups => Volatile.Read(ref _lookups);

        public ValueTask<PassportVerificationKey?> FindKeyAsync(string keyId, CancellationToken cancellationToken = default)
        {
            Interlocked.Increment(ref _lookups);
            return Inner.FindKeyAsync(keyId, cancellationToken);
        }
    }

    /// <summary>Answers asynchronously (after a yield), so the verifier's slow path is exercised; can revoke every key.</summary>
    private sealed class YieldingResolver(IPassportKeyResolver inner) : IPassportKeyResolver
    {
        public bool Revoked { get; set; }

        public async ValueTask<PassportVerificationKey?> FindKeyAsync(string keyId, CancellationToken cancellationToken = default)
        {
            await Task.Yield();
            return Revoked ? null : await inner.FindKeyAsync(keyId, cancellationToken);
        }
    }

    private sealed class FailingResolver : IPassportKeyResolver
    {
        public ValueTask<PassportVerificationKey?> FindKeyAsync(string keyId, CancellationToken cancellationToken = default) =>
            throw AgentPassportException.Create(PassportErrorKind.JwksError, "the key set cannot be fetched");
    }

    private sealed class MappingResolver(string keyId, PassportVerificationKey key) : IPassportKeyResolver
    {
        public ValueTask<PassportVerificationKey?> FindKeyAsync(string id, CancellationToken cancellationToken = default) =>
            new(id == keyId ? key : null);
    }

    private sealed class FakeClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
