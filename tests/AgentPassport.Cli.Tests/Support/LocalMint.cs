using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Time.Testing;

namespace AgentPassport.Cli.Tests.Support;

/// <summary>
/// Mints Passports with the library, signed by the sandbox's own file key store (the keys the tool trusts), on a
/// clock the test chooses: how expired and not-yet-valid tokens are made without sleeping.
/// </summary>
public sealed class LocalMint : IDisposable
{
    public const string Principal = "user-alice-pairwise";

    public LocalMint(CliSandbox sandbox, DateTimeOffset? now = null, string issuerUrl = CliSandbox.LocalIssuer)
    {
        Keys = new FilePassportKeyStore(sandbox.KeysDir);
        Time = new FakeTimeProvider(now ?? TimeProvider.System.GetUtcNow());
        Issuer = new PassportIssuer(new PassportIssuerOptions { IssuerUrl = issuerUrl, KeyStore = Keys, TimeProvider = Time });
    }

    public FilePassportKeyStore Keys { get; }

    public FakeTimeProvider Time { get; }

    public PassportIssuer Issuer { get; }

    public static IdentityAssertion Identity(int? level = 2) => level is int l
        ? new("https://csp.example.com", Principal, $"http://idmanagement.gov/ns/assurance/ial/{l}", new AssuranceLevels(l, l, l))
        : new("https://csp.example.com", Principal);

    public IssuedPassport Root(string audience = "https://service-a.example.com/", string[]? scopes = null, int? level = 2, TimeSpan? ttl = null) =>
        Issuer.Issue(new RootPassportRequest
        {
            Identity = Identity(level),
            AgentId = "agent:alice",
            AgentModel = "model-a",
            Audience = audience,
            ToolScope = scopes ?? ["flights:*", "hotels:*"],
            TaskPurpose = "plan a trip",
            Ttl = ttl,
        });

    /// <summary>Signs an arbitrary payload with the store's current key (for schema-breaking tokens).</summary>
    public string SignRaw(string payloadJson)
    {
        string header = $$"""{"alg":"ES256","typ":"{{PassportClaimNames.TokenType}}","kid":"{{Keys.CurrentSigningKey.KeyId}}"}""";
        string input = B64(Encoding.UTF8.GetBytes(header)) + "." + B64(Encoding.UTF8.GetBytes(payloadJson));
        using var ecdsa = ECDsa.Create();
        ecdsa.ImportFromPem(File.ReadAllText(Path.Combine(Keys.Directory, FilePassportKeyStore.PrivateKeyFileName)));
        byte[] sig = ecdsa.SignData(Encoding.ASCII.GetBytes(input), HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
        return input + "." + B64(sig);
    }

    /// <summary>A valid root payload as JSON, for tests that then break one claim.</summary>
    public string RootPayload(Action<Dictionary<string, object?>> edit)
    {
        long now = Time.GetUtcNow().ToUnixTimeSeconds();
        var claims = new Dictionary<string, object?>
        {
            ["iss"] = CliSandbox.LocalIssuer,
            ["sub"] = Principal,
            ["aud"] = "https://service-a.example.com/",
            ["iat"] = now,
            ["nbf"] = now,
            ["exp"] = now + 600,
            ["jti"] = Guid.NewGuid().ToString(),
            ["act"] = new Dictionary<string, object?> { ["sub"] = "agent:alice" },
            [PassportClaimNames.AgentId] = "agent:alice",
            [PassportClaimNames.AgentModel] = "model-a",
            [PassportClaimNames.ToolScope] = new[] { "flights:*" },
        };
        edit(claims);
        return JsonSerializer.Serialize(claims);
    }

    public void Dispose() => Keys.Dispose();

    private static string B64(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
