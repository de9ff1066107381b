using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using System.Text;
using AgentPassport.Internal;

namespace AgentPassport.Jose;

/// <summary>
/// A compact Passport split and decoded, with every cheap check of spec §5 steps 1–2 done: size, segments, canonical
/// base64url, JSON shape without duplicates, <c>typ</c>, <c>alg</c> allow-list, forbidden header members, <c>kid</c>.
/// </summary>
internal sealed class ParsedPassportToken
{
    /// <summary>The longest value quoted whole in an error message.</summary>
    internal const int MaxQuoted = 256;

    private static readonly SearchValues<char> TokenCharacters = SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.");

    private ParsedPassportToken(string token, int secondDot, PassportHeader header, byte[] signature, Passport? passport, string? schemaError, string? issuer)
    {
        UnverifiedIssuer = issuer;
        Token = token;
        SecondDot = secondDot;
        Header = header;
        Signature = signature;
        Passport = passport;
        SchemaError = schemaError;
    }

    public string Token { get; }

    /// <summary>Gets the index of the second '.', i.e. the length of the signing input.</summary>
    public int SecondDot { get; }

    public PassportHeader Header { get; }

    public byte[] Signature { get; }

    /// <summary>Gets the claims when the schema is valid.</summary>
    public Passport? Passport { get; }

    /// <summary>Gets the schema failure, reported after the signature check.</summary>
    public string? SchemaError { get; }

    /// <summary>Gets the payload's <c>iss</c> as read, before any check: it only picks the key set the <c>kid</c> is looked up in.</summary>
    public string? UnverifiedIssuer { get; }

    public string Algorithm => Header.Algorithm!;

    public string KeyId => Header.KeyId!;

    /// <summary>Verifies the signature over <c>header.payload</c> with <paramref name="key"/>, without allocating the signing input.</summary>
    public bool VerifySignature(PassportVerificationKey key)
    {
        const int StackLimit = 2048;
        byte[]? rented = null;
        Span<byte> buffer = SecondDot <= StackLimit ? stackalloc byte[StackLimit] : (rented = ArrayPool<byte>.Shared.Rent(SecondDot));
        try
        {
            // Parse admitted only base64url characters and dots, so every char is one ASCII byte.
            int written = Encoding.ASCII.GetBytes(Token.AsSpan(0, SecondDot), buffer);
            return key.Verify(buffer[..written], Signature);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    /// <summary>
    /// Splits and decodes <paramref name="token"/>, refusing it as soon as a cheap check fails.
    /// <paramref name="allowedAlgorithms"/> null skips the allow-list (decoding for display only).
    /// </summary>
    public static ParsedPassportToken? Parse(string? token, int maxTokenBytes, IReadOnlySet<string>? allowedAlgorithms, out PassportError? error)
    {
        if (!SplitSegments(token, maxTokenBytes, out int firstDot, out int secondDot, out error))
        {
            return null;
        }

        // Header and payload are only read while parsing, so they are decoded into one pooled buffer.
        var headerText = token.AsSpan(0, firstDot);
        var payloadText = token.AsSpan(firstDot + 1, secondDot - firstDot - 1);
        int headerMax = System.Buffers.Text.Base64Url.GetMaxDecodedLength(headerText.Length);
        byte[] rented = ArrayPool<byte>.Shared.Rent(headerMax + System.Buffers.Text.Base64Url.GetMaxDecodedLength(payloadText.Length));
        try
        {
            return ParseDecoded(token, secondDot, headerText, payloadText, rented.AsSpan(0, headerMax), rented.AsSpan(headerMax), allowedAlgorithms, out error);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    /// <summary>
    /// The JWS layer of <see cref="Parse"/>: size cap, exactly three non-empty segments of base64url characters, each canonical.
    /// Kept separate so the Wycheproof JWS vectors run through exactly this code (<see cref="SplitSegments"/> and the
    /// canonical decoder <see cref="Parse"/> uses).
    /// </summary>
    internal static bool Split(
        [NotNullWhen(true)] string? token,
        int maxTokenBytes,
        out int secondDot,
        [NotNullWhen(true)] out byte[]? headerBytes,
        [NotNullWhen(true)] out byte[]? payloadBytes,
        [NotNullWhen(true)] out byte[]? signature,
        out PassportError? error)
    {
        headerBytes = payloadBytes = signature = null;
        if (!SplitSegments(token, maxTokenBytes, out int firstDot, out secondDot, out error))
        {
            return false;
        }

        headerBytes = Segments.CanonicalDecode(token.AsSpan(0, firstDot));
        payloadBytes = Segments.CanonicalDecode(token.AsSpan(firstDot + 1, secondDot - firstDot - 1));
        signature = Segments.CanonicalDecode(token.AsSpan(secondDot + 1));
        if (headerBytes is null || payloadBytes is null || signature is null)
        {
            error = NotCanonical();
            headerBytes = payloadBytes = signature = null;
            return false;
        }

        return true;
    }

    /// <summary>Size cap and exactly three non-empty segments of base64url characters (vectorized scans).</summary>
    private static bool SplitSegments([NotNullWhen(true)] string? token, int maxTokenBytes, out int firstDot, out int secondDot, out PassportError? error)
    {
        error = null;
        firstDot = secondDot = -1;
        if (string.IsNullOrEmpty(token))
        {
            error = Fail(PassportErrorKind.InvalidToken, "the token is empty");
            return false;
        }

        // Every valid character is ASCII, so the length in chars is the length in bytes.
        if (token.Length > maxTokenBytes)
        {
            error = Fail(PassportErrorKind.InvalidToken, $"the token exceeds {maxTokenBytes} bytes");
            return false;
        }

        // The first character outside base64url and '.', and the first three dots; whichever problem comes first is reported.
        var span = token.AsSpan();
        int bad = span.IndexOfAnyExcept(TokenCharacters);
        firstDot = span.IndexOf('.');
        secondDot = firstDot < 0 ? -1 : IndexAfter(span, firstDot);
        int thirdDot = secondDot < 0 ? -1 : IndexAfter(span, secondDot);
        if (thirdDot >= 0 && (bad < 0 || thirdDot < bad))
        {
            error = Fail(PassportErrorKind.InvalidToken, "the token must have exactly three segments");
            return false;
        }

        if (bad >= 0)
        {
            error = Fail(PassportErrorKind.InvalidToken, "the token contains a character outside base64url");
            return false;
        }

        if (secondDot < 0 || firstDot == 0 || secondDot == firstDot + 1 || secondDot == token.Length - 1)
        {
            error = Fail(PassportErrorKind.InvalidToken, "the token must have three non-empty segments");
            return false;
        }

        return true;
    }

    private static ParsedPassportToken? ParseDecoded(string token, int secondDot, ReadOnlySpan<char> headerText, ReadOnlySpan<char> payloadText, Span<byte> headerBuffer, Span<byte> payloadBuffer, IReadOnlySet<string>? allowedAlgorithms, out PassportError? error)
    {
        error = null;
        byte[]? signature = Segments.CanonicalDecode(token.AsSpan(secondDot + 1));
        if (!CanonicalBase64Url.TryDecodeCanonical(headerText, headerBuffer, out int headerLength)
            || !CanonicalBase64Url.TryDecodeCanonical(payloadText, payloadBuffer, out int payloadLength)
            || signature is null)
        {
            error = NotCanonical();
            return null;
        }

        var headerBytes = headerBuffer[..headerLength];
        var payloadBytes = payloadBuffer[..payloadLength];
        var header = PassportHeader.Read(headerBytes, out var headerError, out bool duplicate);
        if (header is null)
        {
            error = Fail(duplicate ? PassportErrorKind.MalformedClaims : PassportErrorKind.InvalidToken, headerError!);
            return null;
        }

        PassportPayloadReader.Read(payloadBytes, out var passport, out var shapeError, out var schemaError, out var issuer);
        if (shapeError is not null)
        {
            error = Fail(PassportErrorKind.MalformedClaims, shapeError);
            return null;
        }

        var h = header.Value;
        if (!h.HasPassportType)
        {
            error = Fail(PassportErrorKind.InvalidToken, h.Type is null ? "the header has no 'typ' (expected agent-passport+jwt)" : "the header 'typ' is not agent-passport+jwt");
            return null;
        }

        if (h.Algorithm is null || (allowedAlgorithms is not null && !allowedAlgorithms.Contains(h.Algorithm)))
        {
            error = new PassportError(PassportErrorKind.AlgorithmNotAllowed, h.Algorithm is null
                ? "the header has no 'alg' string"
                : $"the algorithm '{Truncate(h.Algorithm)}' is not allowed (allowed: {string.Join(", ", allowedAlgorithms!.Order(StringComparer.Ordinal))})",
                details: new PassportErrorDetails { Algorithm = h.Algorithm });
            return null;
        }

        if (h.Forbidden is not null)
        {
            error = Fail(PassportErrorKind.InvalidToken, $"the header member '{h.Forbidden}' is not allowed in a Passport");
            return null;
        }

        if (string.IsNullOrEmpty(h.KeyId))
        {
            error = Fail(PassportErrorKind.InvalidToken, "the header is missing 'kid'");
            return null;
        }

        return new ParsedPassportToken(token, secondDot, h, signature, passport, schemaError, issuer);
    }

    private static int IndexAfter(ReadOnlySpan<char> span, int dot)
    {
        int next = span[(dot + 1)..].IndexOf('.');
        return next < 0 ? -1 : dot + 1 + next;
    }

    /// <summary>
    /// Bounds an attacker-chosen value quoted in a message. The cap is far above any real kid (a thumbprint is 43
    /// characters), issuer or audience; the whole value is in <see cref="PassportError.Details"/>.
    /// </summary>
    internal static string Truncate(string value) => value.Length <= MaxQuoted ? value : string.Concat(value.AsSpan(0, MaxQuoted), "…");

    private static PassportError NotCanonical() => Fail(PassportErrorKind.InvalidToken, "a segment is not canonical base64url");

    private static PassportError Fail(PassportErrorKind kind, string message) => new(kind, message);
}
