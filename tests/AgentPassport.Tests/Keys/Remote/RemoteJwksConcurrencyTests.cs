using System.Diagnostics;
using AgentPassport.TestSupport.Keys;
using Xunit.Abstractions;

namespace AgentPassport.Tests.Keys.Remote;

/// <summary>
/// Many verifications through one <see cref="RemoteJwksPassportKeyResolver"/> at once, while the issuer rotates its key
/// and publishes the new JWKS: tokens signed before and after the rotation all verify, foreign tokens never do, and the
/// burst of new-kid lookups costs one JWKS fetch.
/// </summary>
public sealed class RemoteJwksConcurrencyTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const int Count = 4_000;
    private RemoteIssuer _issuer = null!;

    public async Task InitializeAsync() => _issuer = await RemoteIssuer.StartAsync();

    public async Task DisposeAsync() => await _issuer.DisposeAsync();

    [Fact]
    public async Task ConcurrentVerifications_AcrossARotation_AllCorrect_OneRefresh()
    {
        using var resolver = _issuer.Resolver();
        var verifier = _issuer.Verifier(resolver);
        string[] before = [.. Enumerable.Range(0, 8).Select(i => _issuer.Mint($"agent:w{i}"))];
        string foreign = _issuer.MintByAttacker();
        var rotated = new TaskCompletionSource<string[]>(TaskCreationOptions.RunContinuationsAsynchronously);
        int done = 0;

        var watch = Stopwatch.StartNew();
        var tasks = Enumerable.Range(0, Count).Select(n => Task.Run(async () =>
        {
            // A quarter of the way in, the issuer rotates and publishes; the second half alternates old and new tokens,
            // with foreign ones among them (before the rotation they would spend the unknown-kid refresh: see the next test).
            bool isForeign = n >= Count / 2 && n % 10 == 9;
            string[] tokens = (n < Count / 2 || n % 2 == 1) && !isForeign ? before : await rotated.Task;
            string token = isForeign ? foreign : tokens[n % 8];
            var result = await verifier.ValidateAsync(token, RemoteIssuer.Policy);
            if (Interlocked.Increment(ref done) == Count / 4)
            {
                _issuer.Keys.Rotate();
                _issuer.Publish();
                rotated.SetResult([.. Enumerable.Range(0, 8).Select(i => _issuer.Mint($"agent:w{i}"))]);
            }

            return (N: n, Foreign: isForeign, Token: token, Result: result);
        })).ToList();
        var results = await Task.WhenAll(tasks);
        watch.Stop();

        var fresh = await rotated.Task;
        Assert.All(results.Where(r => r.Foreign), r => Assert.Equal(PassportErrorKind.KeyNotFound, r.Result.Error?.Kind));
        Assert.All(results.Where(r => !r.Foreign), r =>
        {
            Assert.True(r.Result.Succeeded, r.Result.Error?.ToString());
            Assert.Equal($"agent:w{r.N % 8}", r.Result.Passport!.Passport.AgentId);
        });
        Assert.Contains(results, r => !r.Foreign && fresh.Contains(r.Token));

        // One initial fetch and one refresh for the new kid (or the foreign one, whichever came first): the rate limit holds.
        Assert.Equal(2, _issuer.Server.JwksRequests);
        output.WriteLine($"{Count} verifications through the remote JWKS resolver across a rotation: {watch.Elapsed.TotalSeconds:0.00} s, " +
            $"{Count / watch.Elapsed.TotalSeconds:0}/s, {_issuer.Server.JwksRequests} JWKS requests");
    }

    [Fact]
    public async Task UnknownKidFlood_BeforeARotation_DelaysItByAtMostTheRefreshInterval()
    {
        using var resolver = _issuer.Resolver(configure: o => o.RefreshInterval = TimeSpan.FromSeconds(30));
        var verifier = _issuer.Verifier(resolver);
        Assert.True((await verifier.ValidateAsync(_issuer.Mint(), RemoteIssuer.Policy)).Succeeded);
        var flood = await Task.WhenAll(Enumerable.Range(0, 200).Select(_ => Task.Run(async () => await verifier.ValidateAsync(_issuer.MintByAttacker(), RemoteIssuer.Policy))));
        Assert.All(flood, r => Assert.Equal(PassportErrorKind.KeyNotFound, r.Error?.Kind));

        _issuer.Keys.Rotate();
        _issuer.Publish();
        string next = _issuer.Mint();

        // The flood spent this interval's unknown-kid refresh: the new key is not fetched yet (refused, never accepted)...
        Assert.Equal(PassportErrorKind.KeyNotFound, (await verifier.ValidateAsync(next, RemoteIssuer.Policy)).Error?.Kind);
        Assert.Equal(2, _issuer.Server.JwksRequests);

        // ...and is picked up as soon as the interval has passed.
        _issuer.Time.Advance(TimeSpan.FromSeconds(30));
        Assert.True((await verifier.ValidateAsync(next, RemoteIssuer.Policy)).Succeeded);
        Assert.Equal(3, _issuer.Server.JwksRequests);
    }
}
