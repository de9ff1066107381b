using System.Buffers;
using System.Text.Json;
using AgentPassport.Internal;
using AgentPassport.Jose;

namespace AgentPassport;

/// <summary>
/// A compact proof split, decoded and read strictly (spec v1.1 §11): size, segments, canonical base64url, JSON objects
/// without duplicate names at any depth, header members. One <see cref="Utf8JsonReader"/> pass per object both checks
/// the JSON and picks out the members the verifier compares, so no document is built.
/// </summary>
internal sealed class ParsedProof
{
    private static readonly SearchValues<char> TokenCharacters = SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.");
    private static readonly JsonReaderOptions ReaderOptions = new() { MaxDepth = JsonStrictScanner.MaxDepth };

    private ParsedProof(string proof, int signingInputLength, byte[] signature, string algorithm, ReadOnlyMemory<byte> jwk, in ProofClaims claims)
    {
        Proof = proof;
        SigningInputLength = signingInputLength;
        Signature = signature;
        Algorithm = algorithm;
        Jwk = jwk;
        Claims = claims;
    }

    /// <summary>Gets the compact proof; its first <see cref="SigningInputLength"/> characters (ASCII) are the signing input.</summary>
    public string Proof { get; }

    public int SigningInputLength { get; }

    public byte[] Signature { get; }

    public string Algorithm { get; }

    /// <summary>Gets the exact UTF-8 JSON text of the header's <c>jwk</c> object (checked: no duplicates, no private members).</summary>
    public ReadOnlyMemory<byte> Jwk { get; }

    public ProofClaims Claims { get; }

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

        var header = default(ProofHeader);
        var claims = default(ProofClaims);
        if (!ReadStrict(headerBytes, "header", ref header, ref claims, isHeader: true, out error)
            || !ReadStrict(payloadBytes, "payload", ref header, ref claims, isHeader: false, out error))
        {
            return null;
        }

        // The checks in the order of the spec: forbidden members, typ, alg, jwk.
        if (header.ForbiddenMember is { } forbidden)
        {
            error = ProofErrors.Invalid(ProofFailureReason.ForbiddenHeader, $"the proof header may carry only typ, alg and jwk; it has '{Quote(forbidden)}'");
            return null;
        }

        if (header.Type is not { } typ || !IsProofType(typ))
        {
            error = ProofErrors.Invalid(ProofFailureReason.Type, $"the proof header's typ must be '{PassportProof.TokenType}'");
            return null;
        }

        if (header.Algorithm is not { } alg)
        {
            error = ProofErrors.Invalid(ProofFailureReason.Algorithm, "the proof header has no alg string");
            return null;
        }

        if (PassportAlgorithms.IsForbidden(alg) || !allowedAlgorithms.Contains(alg))
        {
            error = ProofErrors.Invalid(ProofFailureReason.Algorithm, $"the proof's alg '{Quote(alg)}' is not allowed (allowed: {string.Join(", ", allowedAlgorithms)})");
            return null;
        }

        if (header.JwkLength == 0)
        {
            error = ProofErrors.Invalid(ProofFailureReason.Key, "the proof header has no jwk object");
            return null;
        }

        if (header.PrivateJwkMember is { } member)
        {
            error = ProofErrors.Invalid(ProofFailureReason.Key, $"the proof's jwk carries the private or symmetric member '{member}': a proof carries the public key only");
            return null;
        }

        return new ParsedProof(proof, second, signature, alg, headerBytes.AsMemory(header.JwkStart, header.JwkLength), claims);
    }

    internal static string Quote(string text) => InertText.Escape(text.Length <= 64 ? text : text[..64] + "…");

    private static bool IsProofType(string typ) =>
        typ.Equals(PassportProof.TokenType, StringComparison.OrdinalIgnoreCase)
        || typ.Equals("application/" + PassportProof.TokenType, StringComparison.OrdinalIgnoreCase);

    // One pass: refuses what is not one JSON object, duplicate names at any depth and undecodable strings (Malformed),
    // and records the members the checks read.
    private static bool ReadStrict(byte[] json, string part, ref ProofHeader header, ref ProofClaims claims, bool isHeader, out PassportError? error)
    {
        error = null;
        try
        {
            var reader = new Utf8JsonReader(json, ReaderOptions);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                error = ProofErrors.Invalid(ProofFailureReason.Malformed, $"the proof {part} is not a JSON object");
                return false;
            }

            var names = new MemberNameSet();
            while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
            {
                bool unique = names.Add(ref reader) && (isHeader ? ReadHeaderMember(ref reader, ref header) : ReadClaim(ref reader, ref claims));
                if (!unique)
                {
                    error = ProofErrors.Invalid(ProofFailureReason.Malformed, $"the proof {part} has a duplicate member name");
                    return false;
                }
            }

            if (reader.Read())
            {
                error = ProofErrors.Invalid(ProofFailureReason.Malformed, $"the proof {part} has content after the JSON object");
                return false;
            }

            return true;
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException)
        {
            error = ProofErrors.Invalid(ProofFailureReason.Malformed, $"the proof {part} is not valid JSON");
            return false;
        }
    }

    /// <summary>Reads one header member's value (the reader is on its name). False for a duplicate name inside it.</summary>
    private static bool ReadHeaderMember(ref Utf8JsonReader reader, ref ProofHeader header)
    {
        if (reader.ValueTextEquals("typ"u8))
        {
            return ReadString(ref reader, out header.Type);
        }

        if (reader.ValueTextEquals("alg"u8))
        {
            return ReadString(ref reader, out header.Algorithm);
        }

        if (reader.ValueTextEquals("jwk"u8))
        {
            reader.Read();
            if (reader.TokenType != JsonTokenType.StartObject)
            {
                return JsonStrictScanner.SkipCurrent(ref reader);
            }

            int start = (int)reader.TokenStartIndex;
            var names = new MemberNameSet();
            while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
            {
                if (!names.Add(ref reader))
                {
                    return false;
                }

                header.PrivateJwkMember ??= PrivateJwkMember(ref reader);

                if (!JsonStrictScanner.SkipValue(ref reader))
                {
                    return false;
                }
            }

            header.JwkStart = start;
            header.JwkLength = (int)reader.BytesConsumed - start;
            return true;
        }

        header.ForbiddenMember ??= reader.GetString();
        return JsonStrictScanner.SkipValue(ref reader);
    }

    /// <summary>Reads one payload member's value (the reader is on its name). False for a duplicate name inside it.</summary>
    private static bool ReadClaim(ref Utf8JsonReader reader, ref ProofClaims claims)
    {
        if (reader.ValueTextEquals("jti"u8))
        {
            return ReadString(ref reader, out claims.TokenId);
        }

        if (reader.ValueTextEquals("iat"u8))
        {
            reader.Read();
            claims.HasIssuedAt = reader.TokenType == JsonTokenType.Number && reader.TryGetInt64(out claims.IssuedAt);
            return JsonStrictScanner.SkipCurrent(ref reader);
        }

        if (reader.ValueTextEquals("aud"u8))
        {
            return ReadString(ref reader, out claims.Audience);
        }

        if (reader.ValueTextEquals("ath"u8))
        {
            return ReadString(ref reader, out claims.TokenHash);
        }

        if (reader.ValueTextEquals("op"u8))
        {
            return ReadString(ref reader, out claims.Operation);
        }

        if (reader.ValueTextEquals("htm"u8))
        {
            return ReadString(ref reader, out claims.HttpMethod);
        }

        if (reader.ValueTextEquals("htu"u8))
        {
            return ReadString(ref reader, out claims.HttpUrl);
        }

        if (reader.ValueTextEquals("args"u8))
        {
            claims.HasArguments = true;
            return ReadString(ref reader, out claims.Arguments);
        }

        return JsonStrictScanner.SkipValue(ref reader);
    }

    /// <summary>The name the reader is on when it is a private or symmetric JWK member (RFC 7518 §6.2.2, §6.3.2, §6.4), else null.</summary>
    private static string? PrivateJwkMember(ref Utf8JsonReader reader) =>
        reader.ValueTextEquals("d"u8) ? "d"
        : reader.ValueTextEquals("p"u8) ? "p"
        : reader.ValueTextEquals("q"u8) ? "q"
        : reader.ValueTextEquals("dp"u8) ? "dp"
        : reader.ValueTextEquals("dq"u8) ? "dq"
        : reader.ValueTextEquals("qi"u8) ? "qi"
        : reader.ValueTextEquals("oth"u8) ? "oth"
        : reader.ValueTextEquals("k"u8) ? "k"
        : null;

    /// <summary>Reads a member's value: its text when a (decodable) string, else null after checking it strictly.</summary>
    private static bool ReadString(ref Utf8JsonReader reader, out string? value)
    {
        reader.Read();
        if (reader.TokenType == JsonTokenType.String)
        {
            // GetString throws InvalidOperationException for invalid UTF-8 or an escaped lone surrogate: Malformed.
            value = reader.GetString();
            return true;
        }

        value = null;
        return JsonStrictScanner.SkipCurrent(ref reader);
    }

    private struct ProofHeader
    {
        public string? Type;
        public string? Algorithm;
        public string? ForbiddenMember;
        public string? PrivateJwkMember;
        public int JwkStart;
        public int JwkLength;
    }
}

/// <summary>The payload members of a proof the verifier compares; a string member is null when missing or not a string.</summary>
internal struct ProofClaims
{
    public string? TokenId;
    public bool HasIssuedAt;
    public long IssuedAt;
    public string? Audience;
    public string? TokenHash;
    public string? Operation;
    public string? HttpMethod;
    public string? HttpUrl;
    public bool HasArguments;
    public string? Arguments;
}
