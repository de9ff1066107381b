using System.Buffers.Text;
using System.Text;
using System.Text.Json.Nodes;

namespace AgentPassport.Tests.Holder;

/// <summary>Builds proofs member by member (a hostile client's view), signed by a real holder key unless told otherwise.</summary>
internal static class ProofForge
{
    /// <summary>The header and payload a valid proof by <paramref name="key"/> over <paramref name="token"/> would have.</summary>
    public static (JsonObject Header, JsonObject Payload) Parts(PassportHolderKey key, string audience, string token, string op, DateTimeOffset now) =>
        (new JsonObject
        {
            ["typ"] = PassportProof.TokenType,
            ["alg"] = key.Algorithm,
            ["jwk"] = JsonNode.Parse(key.PublicJwkJson),
        },
        new JsonObject
        {
            ["jti"] = Convert.ToHexString(Guid.NewGuid().ToByteArray()),
            ["iat"] = now.ToUnixTimeSeconds(),
            ["aud"] = audience,
            ["ath"] = PassportProof.HashToken(token),
            ["op"] = op,
        });

    public static string Sign(PassportHolderKey key, JsonNode header, JsonNode payload) => SignRaw(key, header.ToJsonString(), payload.ToJsonString());

    public static string SignRaw(PassportHolderKey key, string headerJson, string payloadJson)
    {
        string input = B64(headerJson) + "." + B64(payloadJson);
        return input + "." + Base64Url.EncodeToString(key.Sign(Encoding.ASCII.GetBytes(input)));
    }

    public static string B64(string json) => Base64Url.EncodeToString(Encoding.UTF8.GetBytes(json));
}
