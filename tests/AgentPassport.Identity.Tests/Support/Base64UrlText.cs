using System.Text;

namespace AgentPassport.Identity.Tests.Support;

/// <summary>Canonical base64url for hand-built JOSE segments.</summary>
internal static class Base64UrlText
{
    public static string B64(string text) => System.Buffers.Text.Base64Url.EncodeToString(Encoding.UTF8.GetBytes(text));

    public static string B64(ReadOnlySpan<byte> bytes) => System.Buffers.Text.Base64Url.EncodeToString(bytes);

    public static byte[] Unb64(string segment) => JwsSegments.DecodeCanonical(segment) ?? throw new FormatException("not canonical base64url");
}
