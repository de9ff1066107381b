using System.Buffers;
using System.Security.Cryptography;
using System.Text;
using AgentPassport.Internal;

namespace AgentPassport.Jose;

/// <summary>Small JOSE helpers shared by the reader, issuer and verifier.</summary>
internal static class Segments
{
    private const int StackLimit = 2048;

    public static byte[]? CanonicalDecode(ReadOnlySpan<char> segment) =>
        segment.Length == 0 ? null : CanonicalBase64Url.DecodeCanonical(segment);

    /// <summary>The <c>parent_hash</c> of a token: base64url SHA-256 of its compact serialization (ASCII).</summary>
    public static string Hash(string token)
    {
        Span<byte> hash = stackalloc byte[32];
        HashTo(token, hash);
        return CanonicalBase64Url.Encode(hash);
    }

    /// <summary>Gets a value indicating whether <paramref name="expected"/> is exactly <see cref="Hash"/> of <paramref name="token"/>, without allocating.</summary>
    public static bool HashEquals(string token, string expected)
    {
        Span<byte> hash = stackalloc byte[32];
        HashTo(token, hash);
        Span<char> text = stackalloc char[43];
        return System.Buffers.Text.Base64Url.TryEncodeToChars(hash, text, out int written)
            && text[..written].SequenceEqual(expected);
    }

    private static void HashTo(string token, Span<byte> hash)
    {
        int max = Encoding.ASCII.GetMaxByteCount(token.Length);
        byte[]? rented = null;
        Span<byte> bytes = max <= StackLimit ? stackalloc byte[StackLimit] : (rented = ArrayPool<byte>.Shared.Rent(max));
        try
        {
            int written = Encoding.ASCII.GetBytes(token, bytes);
            SHA256.HashData(bytes[..written], hash);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }
}
