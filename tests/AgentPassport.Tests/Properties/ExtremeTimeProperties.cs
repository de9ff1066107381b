using System.Text.Json.Nodes;
using AgentPassport.Tests.Support;
using FsCheck;
using FsCheck.Fluent;
using Microsoft.Extensions.Time.Testing;

namespace AgentPassport.Tests.Properties;

/// <summary>
/// Issue 13 item 3: time claims at the edges of the integer and date ranges (0, negative, 2^31, 2^53, the last second
/// of 9999 ± the skew), on a root or on a chain parent, under an ordinary or an end-of-time clock, always give a typed
/// result: never an exception out of the non-throwing <see cref="PassportVerifier.ValidateAsync"/> or
/// <see cref="PassportAuthorizer.AuthorizeAsync"/>.
/// </summary>
public sealed class ExtremeTimeProperties : IDisposable
{
    private const long MaxUnix = 253402300799; // 9999-12-31T23:59:59Z

    private static readonly long[] Extremes =
    [
        0, -1, -MaxUnix, int.MaxValue, 1L << 31, (1L << 31) + 1, 1L << 53, (1L << 53) + 1, long.MaxValue, long.MinValue,
        MaxUnix, MaxUnix - 1, MaxUnix - 29, MaxUnix - 30, MaxUnix - 31, MaxUnix - 120, MaxUnix - 121, MaxUnix + 1,
        TokenForge.Unix(TokenForge.Now), TokenForge.Unix(TokenForge.Now) - 3600,
    ];

    private static readonly DateTimeOffset[] Clocks =
    [
        TokenForge.Now, DateTimeOffset.FromUnixTimeSeconds(MaxUnix - 10), DateTimeOffset.MaxValue, DateTimeOffset.FromUnixTimeSeconds(0), DateTimeOffset.MinValue,
    ];

    private readonly PassportSigningKey _key = PassportSigningKey.Generate();

    [Theory]
    [InlineData(MaxUnix - 60, MaxUnix - 60, MaxUnix, 0)] // exp within the skew of the last second: exp + skew overflowed
    [InlineData(MaxUnix - 60, MaxUnix - 60, MaxUnix, 1)]
    [InlineData(MaxUnix - 60, MaxUnix - 60, MaxUnix, 2)]
    [InlineData(MaxUnix - 60, MaxUnix - 60, MaxUnix, 4)] // now - skew underflowed on a clock at DateTimeOffset.MinValue
    [InlineData(0, 0, 60, 4)]
    [InlineData(0, 0, 60, 2)]
    public async Task ExplicitEdges_GiveATypedResult(long iat, long nbf, long exp, int clock)
    {
        foreach (bool asParent in new[] { false, true })
        {
            await AssertTypedAsync(iat, nbf, exp, asParent, Clocks[clock]);
        }
    }

    [Fact]
    public async Task ExpAtTheLastSecond_WithinSkew_IsRefusedAsExpiredOrAccepted_NeverThrows()
    {
        // The clock stands 10 s before the last second: exp = that second is valid; a token expired 31 s earlier is Expired.
        var clock = DateTimeOffset.FromUnixTimeSeconds(MaxUnix - 10);
        var valid = await ValidateAsync(Root(MaxUnix - 60, MaxUnix - 60, MaxUnix), [], clock);
        var expired = await ValidateAsync(Root(MaxUnix - 100, MaxUnix - 100, MaxUnix - 41), [], clock);

        Assert.True(valid.Succeeded, valid.Error?.ToString());
        Assert.Equal(PassportErrorKind.Expired, expired.Error!.Kind);
    }

    [Fact]
    public void AnyExtremeTriple_AsRootOrParent_AnyClock_GivesATypedResult()
    {
        var cases =
            from iat in Gen.Elements(Extremes)
            from nbf in Gen.Elements(Extremes)
            from exp in Gen.Elements(Extremes)
            from asParent in Gen.Elements(false, true)
            from clock in Gen.Elements(Clocks)
            select (iat, nbf, exp, asParent, clock);

        Prop.ForAll(cases.ToArbitrary(), c =>
        {
            AssertTypedAsync(c.iat, c.nbf, c.exp, c.asParent, c.clock).GetAwaiter().GetResult();
            return true;
        }).Check(Config.QuickThrowOnFailure.WithMaxTest(400));
    }

    public void Dispose() => _key.Dispose();

    private async Task AssertTypedAsync(long iat, long nbf, long exp, bool asParent, DateTimeOffset clock)
    {
        string leaf;
        string[] chain;
        if (asParent)
        {
            var root = RootClaimsAt(iat, nbf, exp);
            string rootToken = TokenForge.Sign(root, _key);
            var child = TokenForge.ChildClaims(root, "agent:bob", ["flights:*"]);
            child["exp"] = exp;
            TokenForge.Link(child, rootToken);
            leaf = TokenForge.Sign(child, _key);
            chain = [rootToken];
        }
        else
        {
            leaf = Root(iat, nbf, exp);
            chain = [];
        }

        var result = await ValidateAsync(leaf, chain, clock);
        Assert.True(result.Succeeded || result.Error is not null);

        var time = new FakeTimeProvider(clock);
        var authorizer = new PassportAuthorizer(
            new PassportVerifier(new JwksPassportKeyResolver([_key.PublicKey]), time, new VerifiedChainCache()),
            new PassportAuthorizerOptions { Policy = ForgeFixture.Policy },
            timeProvider: time);
        var decision = await authorizer.AuthorizeAsync(new PassportContext(leaf, chain), "search", "flights:search");
        Assert.True(decision.IsAllowed || decision.Error is not null);
    }

    private async Task<PassportValidationResult> ValidateAsync(string leaf, string[] chain, DateTimeOffset clock) =>
        await new PassportVerifier(new JwksPassportKeyResolver([_key.PublicKey]), new FakeTimeProvider(clock), new VerifiedChainCache())
            .ValidateAsync(leaf, ForgeFixture.Policy, chain);

    private string Root(long iat, long nbf, long exp) => TokenForge.Sign(RootClaimsAt(iat, nbf, exp), _key);

    private static JsonObject RootClaimsAt(long iat, long nbf, long exp)
    {
        var claims = TokenForge.RootClaims(scopes: ["flights:*"]);
        claims["iat"] = iat;
        claims["nbf"] = nbf;
        claims["exp"] = exp;
        return claims;
    }
}
