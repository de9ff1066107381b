using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using AgentPassport.Internal;
using AgentPassport.Jose;

namespace AgentPassport;

/// <summary>
/// Creates proofs of possession (spec v1.1 §11): a compact JWS, shaped after RFC 9449 DPoP, signed by the holder key a
/// Passport is bound to. A proof names the audience called, the hash of the presented Passport (<c>ath</c>), and what is
/// done: an operation (<c>op</c>: the tool's required scope, or <c>delegate</c>) with an optional hash of the call's
/// arguments, or an HTTP request (<c>htm</c> + <c>htu</c>). Verify with <see cref="PassportProofVerifier"/>.
/// </summary>
public static class PassportProof
{
    /// <summary>The header <c>typ</c> of a proof.</summary>
    public const string TokenType = "agent-passport-proof+jwt";

    /// <summary>The <c>op</c> of a proof that accompanies a delegation request (its <c>aud</c> is the issuer URL, its <c>ath</c> the parent's hash).</summary>
    public const string DelegateOperation = "delegate";

    /// <summary>The largest proof accepted, in bytes.</summary>
    public const int MaxProofBytes = 8 * 1024;

    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Creates a proof for an operation: a tool call (<paramref name="operation"/> = the tool's required scope) or a delegation (<see cref="DelegateOperation"/>).</summary>
    /// <param name="key">The holder key the Passport is bound to.</param>
    /// <param name="audience">The audience called (the Passport's <c>aud</c>), or the issuer URL for a delegation.</param>
    /// <param name="passportToken">The compact Passport presented with the proof (the leaf; for a delegation, the parent).</param>
    /// <param name="operation">The operation.</param>
    /// <param name="arguments">The call's arguments, to bind the proof to them (<c>args</c>); null for none.</param>
    /// <param name="timeProvider">The clock for <c>iat</c>; <see cref="TimeProvider.System"/> when null.</param>
    /// <returns>The compact proof. Treat it as a credential: never log it.</returns>
    /// <exception cref="ArgumentException">A value is empty, or <paramref name="arguments"/> has no canonical JSON form (a value that is not I-JSON, or arguments that could not all be read).</exception>
    public static string Create(PassportHolderKey key, string audience, string passportToken, string operation, PassportToolArguments? arguments = null, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentException.ThrowIfNullOrWhiteSpace(audience);
        ArgumentException.ThrowIfNullOrWhiteSpace(passportToken);
        ArgumentException.ThrowIfNullOrWhiteSpace(operation);
        string? args = null;
        if (arguments is not null)
        {
            args = HashArguments(arguments) ?? throw new ArgumentException("The arguments have no canonical JSON form (a value is not I-JSON or could not be read), so a proof cannot bind them.", nameof(arguments));
        }

        return Sign(key, audience, Segments.Hash(passportToken), operation, args, null, null, timeProvider);
    }

    /// <summary>Creates a proof for a plain HTTP request (<c>htm</c> + <c>htu</c>, RFC 9449 §4.2).</summary>
    /// <param name="key">The holder key the Passport is bound to.</param>
    /// <param name="audience">The audience called (the Passport's <c>aud</c>).</param>
    /// <param name="passportToken">The compact leaf Passport presented with the proof.</param>
    /// <param name="method">The HTTP method (for example <c>GET</c>), as sent.</param>
    /// <param name="url">The absolute http(s) URL; its query and fragment are not part of <c>htu</c>.</param>
    /// <param name="timeProvider">The clock for <c>iat</c>; <see cref="TimeProvider.System"/> when null.</param>
    /// <returns>The compact proof. Treat it as a credential: never log it.</returns>
    /// <exception cref="ArgumentException">A value is empty or the URL is not an absolute http(s) URL.</exception>
    public static string CreateForHttp(PassportHolderKey key, string audience, string passportToken, string method, Uri url, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentException.ThrowIfNullOrWhiteSpace(audience);
        ArgumentException.ThrowIfNullOrWhiteSpace(passportToken);
        ArgumentException.ThrowIfNullOrWhiteSpace(method);
        ArgumentNullException.ThrowIfNull(url);
        string htu = HttpTarget(url) ?? throw new ArgumentException("The URL must be an absolute http or https URL.", nameof(url));
        return Sign(key, audience, Segments.Hash(passportToken), null, null, method, htu, timeProvider);
    }

    /// <summary>Creates an operation proof whose <c>ath</c> and <c>args</c> hashes are already computed (the authorizer's in-process path).</summary>
    internal static string CreateWithArgumentsHash(PassportHolderKey key, string audience, string passportTokenHash, string operation, string? argumentsHash, TimeProvider? timeProvider) =>
        Sign(key, audience, passportTokenHash, operation, argumentsHash, null, null, timeProvider);

    /// <summary>Gets the <c>ath</c> of a Passport: base64url SHA-256 of its compact serialization.</summary>
    /// <param name="passportToken">The compact Passport.</param>
    /// <returns>The hash.</returns>
    public static string HashToken(string passportToken)
    {
        ArgumentNullException.ThrowIfNull(passportToken);
        return Segments.Hash(passportToken);
    }

    /// <summary>Gets the <c>args</c> of a call: base64url SHA-256 of the RFC 8785 canonical JSON of its arguments.</summary>
    /// <param name="arguments">The call's arguments.</param>
    /// <returns>The hash, or null when the arguments have no canonical form (then no proof can bind them).</returns>
    public static string? HashArguments(PassportToolArguments arguments)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        return arguments.TryGetCanonicalJson(out var canonical) ? CanonicalBase64Url.Encode(SHA256.HashData(canonical)) : null;
    }

    /// <summary>The <c>htu</c> form of a URL: scheme, host, port (unless the default) and path, without query or fragment; null unless absolute http(s).</summary>
    internal static string? HttpTarget(Uri url) =>
        url.IsAbsoluteUri && (url.Scheme == Uri.UriSchemeHttp || url.Scheme == Uri.UriSchemeHttps)
            ? url.GetComponents(UriComponents.SchemeAndServer | UriComponents.Path, UriFormat.UriEscaped)
            : null;

    private static string Sign(PassportHolderKey key, string audience, string tokenHash, string? op, string? args, string? htm, string? htu, TimeProvider? timeProvider)
    {
        long iat = (timeProvider ?? TimeProvider.System).GetUtcNow().ToUnixTimeSeconds();
        Span<byte> id = stackalloc byte[16];
        RandomNumberGenerator.Fill(id);
        string header = Encode(w =>
        {
            w.WriteString("typ", TokenType);
            w.WriteString("alg", key.Algorithm);
            w.WritePropertyName("jwk");
            w.WriteRawValue(key.PublicJwkJson, skipInputValidation: true);
        });
        string jti = CanonicalBase64Url.Encode(id);
        string payload = Encode(w =>
        {
            w.WriteString("jti", jti);
            w.WriteNumber("iat", iat);
            w.WriteString("aud", audience);
            w.WriteString("ath", tokenHash);
            if (op is not null)
            {
                w.WriteString("op", op);
            }
            else
            {
                w.WriteString("htm", htm);
                w.WriteString("htu", htu);
            }

            if (args is not null)
            {
                w.WriteString("args", args);
            }
        });
        string signingInput = header + "." + payload;
        byte[] signature = key.Sign(Encoding.ASCII.GetBytes(signingInput));
        return signingInput + "." + Base64Url.EncodeToString(signature);
    }

    private static string Encode(Action<Utf8JsonWriter> body)
    {
        using var stream = new MemoryStream(256);
        using (var w = new Utf8JsonWriter(stream, WriterOptions))
        {
            w.WriteStartObject();
            body(w);
            w.WriteEndObject();
        }

        return CanonicalBase64Url.Encode(stream.GetBuffer().AsSpan(0, (int)stream.Length));
    }
}
