using System.Buffers;

namespace AgentPassport.Internal;

/// <summary>Canonical base64url (RFC 7515 §2): no padding, no whitespace, no '+' or '/', unused trailing bits zero.</summary>
internal static class CanonicalBase64Url
{
    public static string Encode(ReadOnlySpan<byte> data) => System.Buffers.Text.Base64Url.EncodeToString(data);

    /// <summary>Decodes canonical base64url; returns null for anything else (padding, whitespace, wrong alphabet, non-zero unused bits).</summary>
    public static byte[]? DecodeCanonical(ReadOnlySpan<char> text)
    {
        byte[] result = new byte[System.Buffers.Text.Base64Url.GetMaxDecodedLength(text.Length)];
        if (!TryDecodeCanonical(text, result, out int written))
        {
            return null;
        }

        return written == result.Length ? result : result.AsSpan(0, written).ToArray();
    }

    /// <summary>Decodes canonical base64url into <paramref name="destination"/> (at least <c>GetMaxDecodedLength</c> bytes); false for anything else.</summary>
    public static bool TryDecodeCanonical(ReadOnlySpan<char> text, Span<byte> destination, out int written)
    {
        written = 0;
        if (!IsCanonical(text))
        {
            return false;
        }

        var status = System.Buffers.Text.Base64Url.DecodeFromChars(text, destination, out int consumed, out written);
        return status == OperationStatus.Done && consumed == text.Length;
    }

    /// <summary>Checks the alphabet, the length and that the unused bits of the last character are zero.</summary>
    public static bool IsCanonical(ReadOnlySpan<char> text)
    {
        int remainder = text.Length % 4;
        if (remainder == 1)
        {
            return false;
        }

        if (text.ContainsAnyExcept(Alphabet))
        {
            return false;
        }

        if (remainder == 0 || text.Length == 0)
        {
            return true;
        }

        int last = Value(text[^1]);

        // 2 chars carry 12 bits for 8 data bits (4 unused); 3 chars carry 18 bits for 16 (2 unused).
        int unusedMask = remainder == 2 ? 0b1111 : 0b11;
        return (last & unusedMask) == 0;
    }

    /// <summary>Gets the base64url alphabet (vectorized membership tests).</summary>
    public static SearchValues<char> Alphabet { get; } = SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_");

    private static int Value(char c) => c switch
    {
        >= 'A' and <= 'Z' => c - 'A',
        >= 'a' and <= 'z' => c - 'a' + 26,
        >= '0' and <= '9' => c - '0' + 52,
        '-' => 62,
        _ => 63,
    };
}
