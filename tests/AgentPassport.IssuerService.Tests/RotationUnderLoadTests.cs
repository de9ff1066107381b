using System.Collections.Concurrent;

namespace AgentPassport.IssuerService.Tests;

/// <summary>
/// Rotation publish-then-activate under continuous traffic: four verifiers (in this process, each with its own JWKS
/// cache over HTTP to the issuer on Kestrel), two scheduled rotations, a flood of made-up kids right before each
/// (which spends every verifier's unknown-kid refresh), then the first key removed.
/// </summary>
public sealed class RotationUnderLoadTests
{
    private const int Verifiers = 4;

    [Fact]
    public async Task TwoScheduledRotations_NoValidTokenRefused_NoTokenOfARemovedKeyAccepted()
    {
        await using var host = await IssuerHost.StartAsync();
        var verifiers = Enumerable.Range(0, Verifiers).Select(_ => new RemoteVerifier(host)).ToArray();
        var firstKey = host.Keys.CurrentSigningKey;
        var signedBy = new ConcurrentDictionary<string, int>();
        var live = new List<(string Token, DateTimeOffset Expires)>();
        int refused = 0, checks = 0;

        for (int step = 0; step < 80; step++)
        {
            if (step is 10 or 40)
            {
                await FloodUnknownKidsAsync(host, verifiers);
                host.Options.RotationSchedule.Rotate(host.Keys);
            }

            host.Time.Advance(TimeSpan.FromSeconds(5));
            for (int i = 0; i < 3; i++)
            {
                var issued = i == 0
                    ? (await OAuthResponse.IssuedAsync(await host.PostTokenAsync([.. IssuerHost.RootForm("flights:search"), ("expires_in", "120")]))).Token
                    : host.Issuer.Issue(Root()).Token;
                var claims = PassportReader.DecodeUnverified(issued);
                live.Add((issued, claims.ExpiresAt));
                signedBy.AddOrUpdate(host.Keys.CurrentSigningKey.KeyId, 1, (_, n) => n + 1);
            }

            var now = host.Time.GetUtcNow();
            live.RemoveAll(t => t.Expires <= now);
            var outcomes = await Task.WhenAll(live.SelectMany(t => verifiers.Select(v => v.ValidateAsync(t.Token).AsTask())));
            checks += outcomes.Length;
            refused += outcomes.Count(o => !o.Succeeded);
        }

        Assert.Equal(3, signedBy.Count); // the first key and two rotated keys all signed
        Assert.True(checks > 2000, $"{checks} checks");
        Assert.Equal(0, refused);

        // Retire the first key: every token it signed has expired (TTL 2 min), so removing it refuses no valid token.
        Assert.True(live.All(t => Jose(t.Token) != firstKey.KeyId), string.Join(",", live.Select(t => $"{Jose(t.Token)[..6]}@{t.Expires:HH:mm:ss}")) + $" first {firstKey.KeyId[..6]} now {host.Time.GetUtcNow():HH:mm:ss}");
        Assert.True(host.Keys.Remove(firstKey.KeyId));
        host.Time.Advance(host.Options.RotationSchedule.JwksMaxAge + TimeSpan.FromSeconds(1));

        // A thief with the removed key mints a fresh token: no verifier accepts it once its cached JWKS aged out.
        using var stolen = new InMemoryPassportKeyStore(PassportSigningKey.ImportPkcs8(firstKey.ExportPkcs8(), firstKey.Algorithm), host.Time);
        var forged = new PassportIssuer(new PassportIssuerOptions { IssuerUrl = host.IssuerUrl, KeyStore = stolen, TimeProvider = host.Time }).Issue(Root()).Token;
        foreach (var verifier in verifiers)
        {
            Assert.Equal(PassportErrorKind.KeyNotFound, (await verifier.ValidateAsync(forged)).Error?.Kind);
        }

        foreach (var (token, _) in live)
        {
            Assert.All(await Task.WhenAll(verifiers.Select(v => v.ValidateAsync(token).AsTask())), r => Assert.True(r.Succeeded, r.Error?.ToString()));
        }

        foreach (var v in verifiers)
        {
            v.Dispose();
        }
    }

    /// <summary>The control: an immediate rotation right after a flood is refused for up to the refresh interval (the known limit the schedule removes).</summary>
    [Fact]
    public async Task ImmediateRotation_AfterAFlood_RefusesNewTokens_ThatIsWhatTheScheduleAvoids()
    {
        await using var host = await IssuerHost.StartAsync();
        using var verifier = new RemoteVerifier(host);
        Assert.True((await verifier.ValidateAsync(host.Issuer.Issue(Root()).Token)).Succeeded);
        await FloodUnknownKidsAsync(host, [verifier]);
        host.Keys.Rotate();
        host.Time.Advance(TimeSpan.FromSeconds(5));
        Assert.Equal(PassportErrorKind.KeyNotFound, (await verifier.ValidateAsync(host.Issuer.Issue(Root()).Token)).Error?.Kind);
    }

    private static string Jose(string token) =>
        System.Text.Json.JsonDocument.Parse(Convert.FromBase64String(Pad(token.Split('.')[0]))).RootElement.GetProperty("kid").GetString()!;

    private static string Pad(string b64url)
    {
        string s = b64url.Replace('-', '+').Replace('_', '/');
        return s + new string('=', (4 - (s.Length % 4)) % 4);
    }

    private static async Task FloodUnknownKidsAsync(IssuerHost host, RemoteVerifier[] verifiers)
    {
        using var junk = new InMemoryPassportKeyStore(timeProvider: host.Time);
        var junkIssuer = new PassportIssuer(new PassportIssuerOptions { IssuerUrl = host.IssuerUrl, KeyStore = junk, TimeProvider = host.Time });
        string junkToken = junkIssuer.Issue(Root()).Token;
        foreach (var verifier in verifiers)
        {
            Assert.Equal(PassportErrorKind.KeyNotFound, (await verifier.ValidateAsync(junkToken)).Error?.Kind);
        }
    }

    private static RootPassportRequest Root() => new()
    {
        Identity = new IdentityAssertion("https://idp.example", "alice"),
        AgentId = "alice-agent",
        AgentModel = "m",
        Audience = IssuerHost.Audience,
        ToolScope = ["flights:search"],
        Ttl = TimeSpan.FromMinutes(2),
    };
}
