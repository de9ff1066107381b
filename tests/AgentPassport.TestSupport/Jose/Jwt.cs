using System.Text;
using System.Text.Json.Nodes;

namespace AgentPassport.TestSupport.Jose;

/// <summary>Hand edits of compact JWS strings for negative tests.</summary>
public static class Jwt
{
    public static JsonObject Header(string token) => Decode(token.Split('.')[0]);

    public static JsonObject Payload(string token) => Decode(token.Split('.')[1]);

    /// <summary>Replaces the payload and keeps the old signature.</summary>
    public static string WithPayload(string token, Action<JsonObject> edit)
    {
        var parts = token.Split('.');
        var payload = Decode(parts[1]);
        edit(payload);
        return $"{parts[0]}.{Encode(payload.ToJsonString())}.{parts[2]}";
    }

    /// <summary>The string value of <paramref name="member"/> in the first key of a JWKS document.</summary>
    public static string Member(string jwks, string member) => JsonNode.Parse(jwks)!["keys"]![0]![member]!.GetValue<string>();

    public static string Encode(string json) => Convert.ToBase64String(Encoding.UTF8.GetBytes(json)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static JsonObject Decode(string segment)
    {
        string b64 = segment.Replace('-', '+').Replace('_', '/');
        b64 = b64.PadRight(b64.Length + ((4 - (b64.Length % 4)) % 4), '=');
        return JsonNode.Parse(Convert.FromBase64String(b64))!.AsObject();
    }
}
