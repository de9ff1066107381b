using AgentPassport.Jose;

namespace AgentPassport;

/// <summary>Decodes the segments of a compact JWS as the Passport reader does: canonical base64url only.</summary>
public static class JwsSegments
{
    /// <summary>Decodes one segment; padding, non-alphabet characters and non-zero trailing bits are refused.</summary>
    /// <param name="segment">The base64url text between the dots.</param>
    /// <returns>The bytes, or <see langword="null"/> when the segment is empty or not canonical base64url.</returns>
    public static byte[]? DecodeCanonical(ReadOnlySpan<char> segment) => Segments.CanonicalDecode(segment);
}
