using System.Security.Cryptography;
using System.Text;
using AgentPassport.Internal;

namespace AgentPassport.Jose;

/// <summary>Small JOSE helpers shared by the reader, issuer and verifier.</summary>
internal static class Segments
{
    public static byte[]? CanonicalDecode(ReadOnlySpan<char> segment) =>
        segment.Length == 0 ? null : CanonicalBase64Url.DecodeCanonical(segment);

    /// <summary>The <c>parent_hash</c> of a token: base64url SHA-256 of its compact serialization (ASCII).</summary>
    public static string Hash(string token)
    {
        Span<byte> hash = stackalloc byte[32];
        int max = Encoding.ASCII.GetMaxByteCount(token.Length);
        byte[] bytes = new byte[max];
        int written = Encoding.ASCII.GetBytes(token, bytes);
        SHA256.HashData(bytes.AsSpan(0, written), hash);
        return CanonicalBase64Url.Encode(hash);
    }
}
