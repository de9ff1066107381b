using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace AgentPassport.Cli;

/// <summary>
/// The built-in development OpenID provider behind <c>login --mock</c>: a fresh ES256 key that signs one ID token for
/// the chosen subject and <c>acr</c>. DEVELOPMENT ONLY: nobody's identity is checked. Its issuer is under the reserved
/// <c>.invalid</c> domain (RFC 2606), so it never resolves and can never be taken for a real provider.
/// </summary>
/// <remarks>
/// The CLI does not reference AgentPassport.Testing for this: that package needs the ASP.NET Core shared framework (a
/// tool would then require the ASP.NET Core runtime) and carries test knobs (faulty servers, dropped keys) a shipped
/// tool must not have. Only the provider is simulated; the ID token is checked by the library's real
/// <see cref="IdTokenValidator"/>.
/// </remarks>
internal static class DevelopmentProvider
{
    public const string Issuer = "https://mock-csp.agent-passport.invalid";

    public const string ClientId = "agent-passport-cli-development";

    public const string DefaultSubject = "alice@example.gov";

    /// <summary>The IAL2 <c>acr</c> of the built-in mapping.</summary>
    public const string DefaultAcr = IalAcrMapping.IalPrefix + "2";

    /// <summary>An hour, like a typical provider session, so a development session can issue for a while.</summary>
    public static readonly TimeSpan IdTokenLifetime = TimeSpan.FromHours(1);

    /// <summary>Signs a person in: returns the ID token and the public JWKS that verifies it (the private key is discarded).</summary>
    public static (string IdToken, string JwksJson) SignIn(string subject, string acr, string nonce, TimeProvider time)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var parameters = key.ExportParameters(includePrivateParameters: false);
        string kid = Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(12));
        long now = time.GetUtcNow().ToUnixTimeSeconds();

        string header = Json(w =>
        {
            w.WriteString("alg", "ES256");
            w.WriteString("kid", kid);
            w.WriteString("typ", "JWT");
        });
        string payload = Json(w =>
        {
            w.WriteString("iss", Issuer);
            w.WriteString("sub", subject);
            w.WriteString("aud", ClientId);
            w.WriteNumber("iat", now);
            w.WriteNumber("nbf", now);
            w.WriteNumber("auth_time", now);
            w.WriteNumber("exp", now + (long)IdTokenLifetime.TotalSeconds);
            w.WriteString("acr", acr);
            w.WriteString("nonce", nonce);
        });
        string signingInput = B64(header) + "." + B64(payload);
        byte[] signature = key.SignData(Encoding.ASCII.GetBytes(signingInput), HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);

        string jwks = Json(w =>
        {
            w.WriteStartArray("keys");
            w.WriteStartObject();
            w.WriteString("kty", "EC");
            w.WriteString("crv", "P-256");
            w.WriteString("x", Base64Url.EncodeToString(parameters.Q.X));
            w.WriteString("y", Base64Url.EncodeToString(parameters.Q.Y));
            w.WriteString("kid", kid);
            w.WriteString("alg", "ES256");
            w.WriteString("use", "sig");
            w.WriteEndObject();
            w.WriteEndArray();
        });
        return (signingInput + "." + Base64Url.EncodeToString(signature), jwks);
    }

    /// <summary>Whether a token's (unverified) <c>iss</c> is the development provider's; false for anything unreadable.</summary>
    public static bool IsIssuerOf(string token)
    {
        string[] parts = token.Split('.');
        if (parts.Length != 3)
        {
            return false;
        }

        try
        {
            using var doc = JsonDocument.Parse(Base64Url.DecodeFromChars(parts[1]));
            return doc.RootElement.ValueKind == JsonValueKind.Object
                && doc.RootElement.TryGetProperty("iss", out var iss)
                && iss.ValueKind == JsonValueKind.String
                && iss.GetString() == Issuer;
        }
        catch (Exception ex) when (ex is FormatException or JsonException)
        {
            return false;
        }
    }

    private static string B64(string json) => Base64Url.EncodeToString(Encoding.UTF8.GetBytes(json));

    private static string Json(Action<Utf8JsonWriter> write)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream))
        {
            w.WriteStartObject();
            write(w);
            w.WriteEndObject();
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }
}
