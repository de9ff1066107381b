using System.Diagnostics;
using AgentPassport.Testing;
using Microsoft.Extensions.Time.Testing;

namespace AgentPassport.Identity.Tests.Support;

/// <summary>Builders shared by the identity tests.</summary>
internal static class Oidc
{
    public const string PassportIssuerUrl = "https://issuer.test";
    public const string Audience = "https://tools.example.com";

    /// <summary>A fake clock starting at the real now (tokens from real providers carry real times).</summary>
    public static FakeTimeProvider FakeNow() => new(DateTimeOffset.UtcNow);

    public static OpenIdProviderClient Client(Uri discoveryUrl, TimeProvider? time = null, Action<OpenIdProviderClientOptions>? configure = null)
    {
        var options = new OpenIdProviderClientOptions
        {
            DiscoveryUrl = discoveryUrl,
            TimeProvider = time ?? TimeProvider.System,
            RequestTimeout = TimeSpan.FromSeconds(5),
            RetryBaseDelay = TimeSpan.Zero,
        };
        configure?.Invoke(options);
        return new OpenIdProviderClient(options);
    }

    public static IdTokenValidator Validator(OpenIdProviderClient client, string clientId = "agent-passport-tests", IAcrMapping? mapping = null) =>
        new(client, new IdTokenValidatorOptions { ClientId = clientId, AcrMapping = mapping ?? IalAcrMapping.Instance });

    public static PassportIssuer Issuer(TimeProvider time, out InMemoryPassportKeyStore keys)
    {
        keys = new InMemoryPassportKeyStore();
        return new PassportIssuer(new PassportIssuerOptions { IssuerUrl = PassportIssuerUrl, KeyStore = keys, TimeProvider = time });
    }

    public static RootPassportGrant Grant() => new()
    {
        AgentId = "agent:alice",
        AgentModel = "model-a",
        Audience = Audience,
        ToolScope = ["flights:*"],
    };

    /// <summary>Mints a root Passport from <paramref name="idToken"/> and verifies it with a fresh verifier.</summary>
    public static async Task<VerifiedPassport> IssueAndVerifyAsync(IIdentityValidator validator, string idToken, TimeProvider time, int requireIal = 0)
    {
        var issuer = Issuer(time, out var keys);
        using (keys)
        {
            var issued = await issuer.IssueAsync(validator, idToken, Grant());
            var verifier = new PassportVerifier(keys, time);
            return await verifier.VerifyAsync(issued.Token, new VerificationPolicy(PassportIssuerUrl, Audience) { RequireIal = requireIal, RequiredScope = "flights:book" });
        }
    }

    /// <summary>Runs <paramref name="action"/>, expects an <see cref="AgentPassportException"/> of <paramref name="kind"/>, and that it came within <paramref name="within"/>.</summary>
    public static async Task<AgentPassportException> FailsWithin(PassportErrorKind kind, TimeSpan within, Func<Task> action)
    {
        var watch = Stopwatch.StartNew();
        var ex = await Assert.ThrowsAsync<AgentPassportException>(action);
        watch.Stop();
        Assert.True(kind == ex.Kind, $"expected {kind}, got {ex.Kind}: {ex.Message}");
        Assert.True(watch.Elapsed < within, $"the error took {watch.Elapsed.TotalMilliseconds:0} ms, more than {within.TotalMilliseconds:0} ms");
        return ex;
    }
}
