using System.Buffers;
using System.Text;
using System.Text.Json;
using AgentPassport.Internal;
using AgentPassport.Jose;

namespace AgentPassport;

/// <summary>A compact proof split, decoded and read strictly (spec v1.1 §11): size, segments, canonical base64url, JSON objects without duplicate names, header members.</summary>
internal sealed class ParsedProof
{
    private static readonly SearchValues<char> TokenCharacters = SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.");
    private static readonly string[] HeaderMembers = ["typ", "alg", "jwk"];
    private static readonly string[] PrivateJwkMembers = ["d", "p", "q", "dp", "dq", "qi", "oth", "k"];

    private ParsedProof(byte[] signingInput, byte[] signature, string algorithm, JsonElement jwk, JsonElement payload)
    {
        SigningInput = signingInput;
        Signature = signature;
        Algorithm = algorithm;
        Jwk = jwk;
        Payload = payload;
    }

    public byte[] SigningInput { get; }

    public byte[] Signature { get; }

    public string Algorithm { get; }

    public JsonElement Jwk { get; }

    public JsonElement Payload { get; }

    public static ParsedProof? Parse(string proof, IReadOnlySet<string> allowedAlgorithms, out PassportError? error)
    {
        error = null;
        if (proof.Length > PassportProof.MaxProofBytes)
        {
            error = ProofErrors.Invalid(ProofFailureReason.Malformed, $"the proof is over {PassportProof.MaxProofBytes} bytes");
            return null;
        }

        int first = proof.IndexOf('.');
        int second = first < 0 ? -1 : proof.IndexOf('.', first + 1);
        if (first <= 0 || second <= first + 1 || second == proof.Length - 1 || proof.IndexOf('.', second + 1) >= 0 || proof.AsSpan().ContainsAnyExcept(TokenCharacters))
        {
            error = ProofErrors.Invalid(ProofFailureReason.Malformed, "the proof is not a compact JWS of three non-empty base64url segments");
            return null;
        }

        byte[]? headerBytes = Segments.CanonicalDecode(proof.AsSpan(0, first));
        byte[]? payloadBytes = Segments.CanonicalDecode(proof.AsSpan(first + 1, second - first - 1));
        byte[]? signature = Segments.CanonicalDecode(proof.AsSpan(second + 1));
        if (headerBytes is null || payloadBytes is null || signature is null)
        {
            error = ProofErrors.Invalid(ProofFailureReason.Malformed, "a proof segment is not canonical base64url");
            return null;
        }

        if (ReadStrictObject(headerBytes, "header", out error) is not { } header || ReadStrictObject(payloadBytes, "payload", out error) is not { } payload)
        {
            return null;
        }

        foreach (var member in header.EnumerateObject())
        {
            if (Array.IndexOf(HeaderMembers, member.Name) < 0)
            {
                error = ProofErrors.Invalid(ProofFailureReason.ForbiddenHeader, $"the proof header may carry only typ, alg and jwk; it has '{Quote(member.Name)}'");
                return null;
            }
        }

        if (!header.TryGetProperty("typ", out var typ) || typ.ValueKind != JsonValueKind.String || !IsProofType(typ.GetString()!))
        {
            error = ProofErrors.Invalid(ProofFailureReason.Type, $"the proof header's typ must be '{PassportProof.TokenType}'");
            return null;
        }

        if (!header.TryGetProperty("alg", out var algElement) || algElement.ValueKind != JsonValueKind.String)
        {
            error = ProofErrors.Invalid(ProofFailureReason.Algorithm, "the proof header has no alg string");
            return null;
        }

        string alg = algElement.GetString()!;
        if (PassportAlgorithms.IsForbidden(alg) || !allowedAlgorithms.Contains(alg))
        {
            error = ProofErrors.Invalid(ProofFailureReason.Algorithm, $"the proof's alg '{Quote(alg)}' is not allowed (allowed: {string.Join(", ", allowedAlgorithms)})");
            return null;
        }

        if (!header.TryGetProperty("jwk", out var jwk) || jwk.ValueKind != JsonValueKind.Object)
        {
            error = ProofErrors.Invalid(ProofFailureReason.Key, "the proof header has no jwk object");
            return null;
        }

        foreach (var member in jwk.EnumerateObject())
        {
            if (Array.IndexOf(PrivateJwkMembers, member.Name) >= 0)
            {
                error = ProofErrors.Invalid(ProofFailureReason.Key, $"the proof's jwk carries the private or symmetric member '{member.Name}': a proof carries the public key only");
                return null;
            }
        }

        return new ParsedProof(Encoding.ASCII.GetBytes(proof[..second]), signature, alg, jwk.Clone(), payload.Clone());
    }

    internal static string Quote(string text) => InertText.Escape(text.Length <= 64 ? text : text[..64] + "…");

    private static bool IsProofType(string typ) =>
        typ.Equals(PassportProof.TokenType, StringComparison.OrdinalIgnoreCase)
        || typ.Equals("application/" + PassportProof.TokenType, StringComparison.OrdinalIgnoreCase);

    private static JsonElement? ReadStrictObject(byte[] json, string part, out PassportError? error)
    {
        error = null;
        try
        {
            var reader = new Utf8JsonReader(json, new JsonReaderOptions { MaxDepth = JsonStrictScanner.MaxDepth });
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                error = ProofErrors.Invalid(ProofFailureReason.Malformed, $"the proof {part} is not a JSON object");
                return null;
            }

            if (!JsonStrictScanner.SkipCurrent(ref reader))
            {
                error = ProofErrors.Invalid(ProofFailureReason.Malformed, $"the proof {part} has a duplicate member name");
                return null;
            }

            if (reader.Read())
            {
                error = ProofErrors.Invalid(ProofFailureReason.Malformed, $"the proof {part} has content after the JSON object");
                return null;
            }

            using var document = JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = JsonStrictScanner.MaxDepth });
            return document.RootElement.Clone();
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException)
        {
            error = ProofErrors.Invalid(ProofFailureReason.Malformed, $"the proof {part} is not valid JSON");
            return null;
        }
    }
}
