using System.Globalization;
using AgentPassport.Identity.Tests.Support;
using AgentPassport.Testing;
using Microsoft.Extensions.Time.Testing;

namespace AgentPassport.Identity.Tests.IdTokens;

/// <summary>
/// Extreme <c>exp</c>/<c>nbf</c>/<c>iat</c> values and clocks: the time checks compare without overflowing, so every
/// signed ID token gets an identity or a typed <see cref="AgentPassportException"/>, never ArgumentOutOfRangeException.
/// </summary>
public sealed class IdTokenTimeBoundaryTests : IAsyncLifetime
{
    /// <summary>9999-12-31T23:59:59Z, the largest NumericDate a DateTimeOffset can hold.</summary>
    private const long MaxSeconds = 253402300799;
    private const long Skew = 30;

    private MockOpenIdProvider _op = null!;

    public async Task InitializeAsync() => _op = await MockOpenIdProvider.StartNewAsync();

    public async Task DisposeAsync() => await _op.DisposeAsync();

    [Theory]
    [InlineData(MaxSeconds)]
    [InlineData(MaxSeconds - Skew)]
    [InlineData(MaxSeconds - Skew + 1)]
    public async Task ExpWithinTheSkewOfTheLargestDate_IsAccepted(long exp)
    {
        using var client = Oidc.Client(_op.DiscoveryUrl);

        var identity = await Oidc.Validator(client, _op.ClientId).ValidateAsync(Mint(new() { ["exp"] = exp }));

        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(exp), identity.ExpiresAt);
    }

    [Fact]
    public async Task ClockNearTheLargestDate_NotBeforeAtTheLargestDate_IsAccepted()
    {
        var time = new FakeTimeProvider(DateTimeOffset.FromUnixTimeSeconds(MaxSeconds - 10));
        using var client = Oidc.Client(_op.DiscoveryUrl, time);
        long now = MaxSeconds - 10;

        var identity = await Oidc.Validator(client, _op.ClientId).ValidateAsync(Mint(new() { ["iat"] = now, ["nbf"] = MaxSeconds, ["exp"] = MaxSeconds }));

        Assert.Equal("alice@example.gov", identity.Subject);
    }

    [Fact]
    public async Task ExtremeTimeClaimsAndClocks_AlwaysGiveATypedResult()
    {
        object[] values =
        [
            0L, -1L, 1L, 0.5, -0.5, int.MaxValue, 1L << 31, 1L << 32, 1L << 53, (1L << 53) + 1, long.MaxValue, ulong.MaxValue,
            MaxSeconds, MaxSeconds - 1, MaxSeconds - Skew, MaxSeconds - Skew + 1, MaxSeconds + 1, MaxSeconds + Skew, MaxSeconds + 0.5,
            1e300, -1e300, double.Epsilon, "1", true,
        ];
        DateTimeOffset[] clocks = [DateTimeOffset.UtcNow, DateTimeOffset.UnixEpoch, DateTimeOffset.FromUnixTimeSeconds(MaxSeconds - 5), DateTimeOffset.MaxValue];
        var failures = new List<string>();
        int accepted = 0, refused = 0;
        foreach (var clock in clocks)
        {
            var time = new FakeTimeProvider(clock);
            using var client = Oidc.Client(_op.DiscoveryUrl, time);
            var validator = Oidc.Validator(client, _op.ClientId);
            long now = clock.ToUnixTimeSeconds();
            foreach (string claim in new[] { "exp", "iat", "nbf" })
            {
                foreach (var value in values)
                {
                    var claims = new Dictionary<string, object?> { ["iat"] = now - 60, ["nbf"] = now - 60, ["exp"] = Math.Min(now + 300, MaxSeconds), [claim] = value };
                    try
                    {
                        await validator.ValidateAsync(Mint(claims));
                        accepted++;
                    }
                    catch (AgentPassportException)
                    {
                        refused++;
                    }
                    catch (Exception ex)
                    {
                        failures.Add($"clock {clock:O}, {claim} = {Convert.ToString(value, CultureInfo.InvariantCulture)}: {ex.GetType().Name}: {ex.Message}");
                    }
                }
            }
        }

        Assert.True(failures.Count == 0, string.Join('\n', failures));
        Assert.True(accepted > 0 && refused > 0, $"accepted {accepted}, refused {refused}");
    }

    private string Mint(Dictionary<string, object?> claims) => _op.Tokens.Mint(new MockIdTokenOptions { ExtraClaims = claims });
}
