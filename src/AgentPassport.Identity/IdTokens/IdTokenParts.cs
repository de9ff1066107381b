using System.Text;
using System.Text.Json;

namespace AgentPassport;

/// <summary>
/// An ID token split and decoded with the cheap checks done before any network or crypto work: size, three canonical
/// base64url segments, JSON objects without duplicate member names and with only decodable strings, <c>alg</c> allow-list, no key-carrying or
/// <c>crit</c> header members, an ID-token <c>typ</c> if any, and a <c>kid</c>.
/// </summary>
internal sealed class IdTokenParts : IDisposable
{
    private static readonly string[] ForbiddenHeaderMembers = ["jku", "jwk", "x5u", "x5c", "crit"];

    private IdTokenParts(string signingInput, byte[] signature, string algorithm, string keyId, JsonDocument payload)
    {
        SigningInput = signingInput;
        Signature = signature;
        Algorithm = algorithm;
        KeyId = keyId;
        Payload = payload;
    }

    public string SigningInput { get; }

    public byte[] Signature { get; }

    public string Algorithm { get; }

    public string KeyId { get; }

    public JsonDocument Payload { get; }

    public JsonElement Claims => Payload.RootElement;

    public static IdTokenParts Parse(string? token, int maxBytes, IReadOnlyList<string> allowedAlgorithms)
    {
        if (string.IsNullOrEmpty(token))
        {
            throw Invalid("the ID token is empty");
        }

        if (token.Length > maxBytes)
        {
            throw Invalid($"the ID token exceeds {maxBytes} bytes");
        }

        var parts = token.Split('.');
        if (parts.Length != 3 || parts.Any(p => p.Length == 0))
        {
            throw Invalid(parts.Length == 5 ? "encrypted (JWE) ID tokens are not supported" : "the ID token must have three non-empty segments");
        }

        byte[] headerBytes = JwsSegments.DecodeCanonical(parts[0]) ?? throw Invalid("the header is not canonical base64url");
        byte[] payloadBytes = JwsSegments.DecodeCanonical(parts[1]) ?? throw Invalid("the payload is not canonical base64url");
        byte[] signature = JwsSegments.DecodeCanonical(parts[2]) ?? throw Invalid("the signature is not canonical base64url");

        using var header = ParseObject(headerBytes, "header");
        var h = header.RootElement;
        if (!h.TryGetProperty("alg", out var algElement) || algElement.ValueKind != JsonValueKind.String)
        {
            throw AgentPassportException.Create(PassportErrorKind.AlgorithmNotAllowed, "the ID token header has no 'alg' string");
        }

        string alg = algElement.GetString()!;
        if (PassportAlgorithms.IsForbidden(alg) || !allowedAlgorithms.Contains(alg))
        {
            throw AgentPassportException.Create(PassportErrorKind.AlgorithmNotAllowed,
                $"the ID token algorithm '{RemoteUrls.Clip(alg, 20)}' is not allowed (allowed: {string.Join(", ", allowedAlgorithms)})");
        }

        foreach (var name in ForbiddenHeaderMembers)
        {
            if (h.TryGetProperty(name, out _))
            {
                throw Invalid($"the ID token header member '{name}' is not accepted");
            }
        }

        if (h.TryGetProperty("typ", out var typ) && !IsIdTokenType(typ))
        {
            throw Invalid("the ID token header 'typ' names another kind of token");
        }

        if (!h.TryGetProperty("kid", out var kid) || kid.ValueKind != JsonValueKind.String || string.IsNullOrEmpty(kid.GetString()))
        {
            throw Invalid("the ID token header has no 'kid'");
        }

        var payload = ParseObject(payloadBytes, "payload");
        return new IdTokenParts(token[..(parts[0].Length + 1 + parts[1].Length)], signature, alg, kid.GetString()!, payload);
    }

    public bool VerifySignature(PassportVerificationKey key) =>
        key.Verify(Encoding.ASCII.GetBytes(SigningInput), Signature);

    public void Dispose() => Payload.Dispose();

    private static bool IsIdTokenType(JsonElement typ) =>
        typ.ValueKind == JsonValueKind.String
        && (string.Equals(typ.GetString(), "JWT", StringComparison.OrdinalIgnoreCase)
            || string.Equals(typ.GetString(), "application/jwt", StringComparison.OrdinalIgnoreCase));

    private static JsonDocument ParseObject(byte[] json, string what)
    {
        // Utf8JsonReader/JsonElement.GetString throw InvalidOperationException (not JsonException) on invalid UTF-8.
        if (!System.Text.Unicode.Utf8.IsValid(json))
        {
            throw Invalid($"the ID token {what} is not valid UTF-8");
        }

        try
        {
            var reader = new Utf8JsonReader(json, new JsonReaderOptions { MaxDepth = StrictJson.MaxDepth });
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                throw Invalid($"the ID token {what} is not a JSON object");
            }

            if (!StrictJson.SkipCurrent(ref reader))
            {
                throw Invalid($"the ID token {what} repeats a member name");
            }

            if (reader.Read())
            {
                throw Invalid($"the ID token {what} has data after the JSON object");
            }

            return JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = StrictJson.MaxDepth });
        }
        catch (JsonException ex)
        {
            throw AgentPassportException.Create(PassportErrorKind.InvalidIdToken, $"the ID token {what} is not valid JSON", ex);
        }
        catch (InvalidOperationException ex)
        {
            // The strict scan reads every member name and string: one that unescapes to no valid text (a lone
            // surrogate such as "\ud800") is refused here, so no later GetString on a claim can throw.
            throw AgentPassportException.Create(PassportErrorKind.InvalidIdToken, $"the ID token {what} has a string that is not valid Unicode text", ex);
        }
    }

    private static AgentPassportException Invalid(string message) =>
        AgentPassportException.Create(PassportErrorKind.InvalidIdToken, message);
}
