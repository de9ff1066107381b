using System.Security.Cryptography;
using System.Text;
using AgentPassport.Testing;
using Microsoft.Extensions.Time.Testing;

namespace AgentPassport.TestSupport.Keys;

/// <summary>
/// A Passport issuer whose public keys are served as a JWKS by a <see cref="FaultyHttpServer"/> on loopback (so the
/// endpoint can go down, be slow, fail or return garbage), plus an attacker issuer with the same issuer URL and its own keys.
/// </summary>
public sealed class RemoteIssuer : IAsyncDisposable
{
    public const string IssuerUrl = "https://issuer.test";
    public const string Audience = "https://tools.example.com";

    private RemoteIssuer(FaultyHttpServer server, FakeTimeProvider time)
    {
        Server = server;
        Time = time;
        Issuer = new PassportIssuer(new PassportIssuerOptions { IssuerUrl = IssuerUrl, KeyStore = Keys, TimeProvider = time });
        Attacker = new PassportIssuer(new PassportIssuerOptions { IssuerUrl = IssuerUrl, KeyStore = AttackerKeys, TimeProvider = time });
        Publish();
    }

    public FaultyHttpServer Server { get; }

    /// <summary>The clock of tokens and of the verifier.</summary>
    public FakeTimeProvider Time { get; }

    public InMemoryPassportKeyStore Keys { get; } = new();

    public InMemoryPassportKeyStore AttackerKeys { get; } = new();

    public PassportIssuer Issuer { get; }

    public PassportIssuer Attacker { get; }

    public Uri JwksUrl => Server.JwksUri;

    public static VerificationPolicy Policy => new(IssuerUrl, Audience) { RequiredScope = "flights:book" };

    public static async Task<RemoteIssuer> StartAsync()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        return new RemoteIssuer(await FaultyHttpServer.StartNewAsync(timeProvider: time), time);
    }

    /// <summary>Serves the issuer's current verification keys (call after a rotation).</summary>
    public void Publish() => Server.JwksJson = Keys.ExportJwks();

    public RemoteJwksPassportKeyResolver Resolver(TimeProvider? clock = null, Action<RemoteJwksPassportKeyResolverOptions>? configure = null)
    {
        var options = new RemoteJwksPassportKeyResolverOptions
        {
            JwksUrl = JwksUrl,
            TimeProvider = clock ?? Time,
            RequestTimeout = TimeSpan.FromSeconds(5),
            RetryBaseDelay = TimeSpan.Zero,
        };
        configure?.Invoke(options);
        return new RemoteJwksPassportKeyResolver(options);
    }

    public PassportVerifier Verifier(IPassportKeyResolver resolver) => new(resolver, Time);

    public string Mint(string agentId = "agent:alice") => Issuer.Issue(Request(agentId)).Token;

    public string MintByAttacker() => Attacker.Issue(Request("agent:mallory")).Token;

    /// <summary>A token whose header names the issuer's real <c>kid</c> but which the attacker signed with its own key.</summary>
    public string ForgeWithIssuerKid()
    {
        var parts = Mint("agent:mallory").Split('.');
        string header = Base64Url($"{{\"alg\":\"ES256\",\"typ\":\"agent-passport+jwt\",\"kid\":\"{Keys.CurrentSigningKey.KeyId}\"}}");
        using var ecdsa = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        byte[] signature = ecdsa.SignData(Encoding.ASCII.GetBytes($"{header}.{parts[1]}"), HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
        return $"{header}.{parts[1]}.{Convert.ToBase64String(signature).TrimEnd('=').Replace('+', '-').Replace('/', '_')}";
    }

    public static RootPassportRequest Request(string agentId) =>
        new RootPassportGrant { AgentId = agentId, AgentModel = "model-a", Audience = Audience, ToolScope = ["flights:*"] }
            .ToRequest(new IdentityAssertion("https://csp.example.com", "alice@example.gov"));

    private static string Base64Url(string json) => Convert.ToBase64String(Encoding.UTF8.GetBytes(json)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public async ValueTask DisposeAsync()
    {
        await Server.DisposeAsync();
        Keys.Dispose();
        AttackerKeys.Dispose();
    }
}
