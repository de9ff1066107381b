using System.Security.Cryptography;
using System.Text;

namespace AgentPassport;

/// <summary>Random protocol values for the login: PKCE (RFC 7636, S256), <c>state</c> and <c>nonce</c>.</summary>
internal static class Pkce
{
    /// <summary>32 random bytes as base64url (43 characters, within RFC 7636's 43..128).</summary>
    public static string NewRandom() => System.Buffers.Text.Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));

    public static string Challenge(string verifier) => System.Buffers.Text.Base64Url.EncodeToString(SHA256.HashData(Encoding.ASCII.GetBytes(verifier)));
}
