using AgentPassport.Tests.Support;

namespace AgentPassport.Tests.Verification;

/// <summary>Chain inputs are measured (count, bytes per link, total) before any cache, parse or signature work.</summary>
public sealed class ChainInputLimitsTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_valid_leaf_with_a_bogus_100_link_chain_is_refused_by_the_depth_cap_without_a_key_lookup(bool cached)
    {
        using var ctx = new PassportTestContext();
        var (_, _, carol) = await ctx.AliceBobCarolAsync();
        var resolver = new CountingResolver(ctx.Keys);
        var verifier = new PassportVerifier(resolver, ctx.Time, cached ? new VerifiedChainCache() : null);
        var bogus = Enumerable.Repeat(carol.ChainTokens[0], 100).ToArray();

        var result = await verifier.ValidateAsync(carol.Token, PassportTestContext.Policy(PassportTestContext.FlightsAudience), bogus);

        Assert.False(result.Succeeded);
        Assert.Equal(PassportErrorKind.ChainBroken, result.Error.Kind);
        Assert.Equal(ChainBrokenReason.DepthExceeded, result.Error.ChainReason);
        Assert.Equal(0, resolver.Lookups);
    }

    [Fact]
    public async Task A_policy_with_a_lower_depth_cap_refuses_by_count_before_any_key_lookup()
    {
        using var ctx = new PassportTestContext();
        var (_, _, carol) = await ctx.AliceBobCarolAsync();
        var resolver = new CountingResolver(ctx.Keys);
        var verifier = new PassportVerifier(resolver, ctx.Time);

        var result = await verifier.ValidateAsync(carol.Token, new VerificationPolicy(PassportTestContext.IssuerUrl, PassportTestContext.FlightsAudience) { MaxChainDepth = 1 }, carol.ChainTokens);

        Assert.Equal(ChainBrokenReason.DepthExceeded, result.Error!.ChainReason);
        Assert.Equal(0, resolver.Lookups);
    }

    [Fact]
    public async Task An_oversized_link_is_refused_before_any_key_lookup_and_names_its_index()
    {
        using var ctx = new PassportTestContext();
        var (_, _, carol) = await ctx.AliceBobCarolAsync();
        var resolver = new CountingResolver(ctx.Keys);
        var verifier = new PassportVerifier(resolver, ctx.Time);
        var chain = new[] { carol.ChainTokens[0], new string('A', PassportLimits.MaxTokenBytes + 1) };

        var result = await verifier.ValidateAsync(carol.Token, PassportTestContext.Policy(PassportTestContext.FlightsAudience), chain);

        Assert.Equal(PassportErrorKind.InvalidToken, result.Error!.Kind);
        Assert.Equal(1, result.Error.ChainIndex);
        Assert.Equal(0, resolver.Lookups);
    }

    [Fact]
    public async Task A_chain_within_the_caps_still_verifies()
    {
        using var ctx = new PassportTestContext();
        var (_, _, carol) = await ctx.AliceBobCarolAsync();

        var result = await ctx.ValidateAsync(carol);

        Assert.True(result.Succeeded);
    }

    [Fact]
    public void PassportContext_refuses_more_parents_than_the_cap_and_reads_no_further()
    {
        var read = 0;
        IEnumerable<string> Endless()
        {
            while (true)
            {
                read++;
                yield return "a.b.c";
            }
        }

        var error = Assert.Throws<ArgumentException>(() => new PassportContext("a.b.c", Endless()));

        Assert.Contains("parents", error.Message, StringComparison.Ordinal);
        Assert.Equal(PassportLimits.MaxChainDepth + 1, read);
    }

    [Fact]
    public void PassportContext_refuses_an_oversized_token_or_link()
    {
        var big = new string('A', PassportLimits.MaxTokenBytes + 1);

        Assert.Throws<ArgumentException>(() => new PassportContext(big));
        Assert.Throws<ArgumentException>(() => new PassportContext("a.b.c", ["a.b.c", big]));
    }

    [Fact]
    public void The_input_checks_give_typed_errors()
    {
        Assert.Null(PassportInputLimits.Check("a.b.c", ["a.b.c"]));
        Assert.Equal(ChainBrokenReason.DepthExceeded, PassportInputLimits.CheckParentCount(PassportLimits.MaxChainDepth + 1)!.ChainReason);
        Assert.Null(PassportInputLimits.CheckParentCount(PassportLimits.MaxChainDepth));
        Assert.Equal(PassportErrorKind.InvalidToken, PassportInputLimits.CheckChainSize(PassportLimits.MaxChainBytes + 1)!.Kind);
        Assert.Null(PassportInputLimits.CheckChainSize(PassportLimits.MaxChainBytes));
        Assert.Equal(PassportErrorKind.InvalidToken, PassportInputLimits.CheckTokenSize(PassportLimits.MaxTokenBytes + 1)!.Kind);
    }

    private sealed class CountingResolver(IPassportKeyResolver inner) : IPassportKeyResolver
    {
        private int _lookups;

        public int Lookups => Volatile.Read(ref _lookups);

        public ValueTask<PassportVerificationKey?> FindKeyAsync(string keyId, CancellationToken cancellationToken = default)
        {
            Interlocked.Increment(ref _lookups);
            return inner.FindKeyAsync(keyId, cancellationToken);
        }
    }
}
