using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using AgentPassport.Internal;

namespace AgentPassport.Tests.Support;

/// <summary>
/// TEST-ONLY token forger: builds Passports from arbitrary header/payload JSON (raw strings, so duplicates, floats and
/// other malformed shapes are possible) and signs them with a real <see cref="PassportSigningKey"/> through the library's
/// internal signing path. A forged token is "correctly signed": only the rule under test is broken.
/// </summary>
internal static class TokenForge
{
    public static readonly DateTimeOffset Now = new(2026, 6, 1, 12, 0, 0, TimeSpan.Zero);
    public const string Issuer = PassportTestContext.IssuerUrl;
    public const string Audience = PassportTestContext.FlightsAudience;
    public const string Principal = PassportTestContext.Principal;

    private static readonly JsonSerializerOptions JsonOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static string B64(string text) => CanonicalBase64Url.Encode(Encoding.UTF8.GetBytes(text));

    public static string B64(ReadOnlySpan<byte> bytes) => CanonicalBase64Url.Encode(bytes);

    public static byte[] Unb64(string segment) => CanonicalBase64Url.DecodeCanonical(segment) ?? throw new FormatException("not canonical base64url");

    public static string ToJson(JsonNode node) => node.ToJsonString(JsonOptions);

    /// <summary>The header the issuer writes: <c>{alg, typ, kid}</c> of <paramref name="key"/>.</summary>
    public static JsonObject HeaderFor(PassportSigningKey key) => new()
    {
        ["alg"] = key.Algorithm,
        ["typ"] = PassportClaimNames.TokenType,
        ["kid"] = key.KeyId,
    };

    /// <summary>Signs raw header and payload JSON text.</summary>
    public static string Sign(string headerJson, string payloadJson, PassportSigningKey key) =>
        SignSegments(B64(headerJson), B64(payloadJson), key);

    /// <summary>Signs a payload object with the standard header of <paramref name="key"/> (or <paramref name="header"/>).</summary>
    public static string Sign(JsonObject payload, PassportSigningKey key, JsonObject? header = null) =>
        Sign(ToJson(header ?? HeaderFor(key)), ToJson(payload), key);

    /// <summary>Signs already-encoded segments exactly as given (they may be non-canonical).</summary>
    public static string SignSegments(string headerSegment, string payloadSegment, PassportSigningKey key)
    {
        string signingInput = headerSegment + "." + payloadSegment;
        return signingInput + "." + B64(key.Sign(Encoding.ASCII.GetBytes(signingInput)));
    }

    /// <summary>The decoded payload of a compact token, for mutation.</summary>
    public static JsonObject Payload(string token) => (JsonObject)JsonNode.Parse(Unb64(token.Split('.')[1]))!;

    /// <summary>The decoded header of a compact token, for mutation.</summary>
    public static JsonObject HeaderOf(string token) => (JsonObject)JsonNode.Parse(Unb64(token.Split('.')[0]))!;

    public static long Unix(DateTimeOffset t) => t.ToUnixTimeSeconds();

    /// <summary>A root claim set like the issuer's: IAL/AAL/FAL 2, 15 min lifetime, one actor.</summary>
    public static JsonObject RootClaims(string agent = "agent:alice", string[]? scopes = null, string? audience = null, string? jti = null, DateTimeOffset? now = null)
    {
        var t = now ?? Now;
        return new JsonObject
        {
            ["iss"] = Issuer,
            ["sub"] = Principal,
            ["aud"] = audience ?? Audience,
            ["iat"] = Unix(t),
            ["nbf"] = Unix(t),
            ["exp"] = Unix(t.AddMinutes(15)),
            ["jti"] = jti ?? $"jti-{agent}",
            ["acr"] = PassportTestContext.Ial2Acr,
            ["ial"] = 2,
            ["aal"] = 2,
            ["fal"] = 2,
            ["act"] = new JsonObject { ["sub"] = agent },
            [PassportClaimNames.AgentId] = agent,
            [PassportClaimNames.AgentModel] = "model-" + agent,
            [PassportClaimNames.ToolScope] = ScopeArray(scopes ?? ["flights:*", "hotels:*", "calendar:*"]),
        };
    }

    /// <summary>A child claim set of <paramref name="parent"/> like the issuer's (5 min, clamped); the link claims are set by <see cref="ForgedChain"/>.</summary>
    public static JsonObject ChildClaims(JsonObject parent, string agent, string[] scopes, string? audience = null, DateTimeOffset? now = null)
    {
        var t = now ?? Now;
        var child = (JsonObject)parent.DeepClone();
        child.Remove(PassportClaimNames.ParentJti);
        child.Remove(PassportClaimNames.ParentHash);
        child.Remove(PassportClaimNames.TaskPurpose);
        child["aud"] = audience ?? Audience;
        child["iat"] = Unix(t);
        child["nbf"] = Unix(t);
        child["exp"] = Math.Min(Unix(t.AddMinutes(5)), parent["exp"]!.GetValue<long>());
        child["jti"] = $"jti-{agent}";
        child["act"] = new JsonObject { ["sub"] = agent, ["act"] = parent["act"]!.DeepClone() };
        child[PassportClaimNames.AgentId] = agent;
        child[PassportClaimNames.AgentModel] = "model-" + agent;
        child[PassportClaimNames.ToolScope] = ScopeArray(scopes);
        if (parent[PassportClaimNames.MaxDepth] is JsonNode max)
        {
            child[PassportClaimNames.MaxDepth] = max.GetValue<int>() - 1;
        }

        return child;
    }

    public static JsonArray ScopeArray(IEnumerable<string> scopes) => new([.. scopes.Select(s => (JsonNode?)JsonValue.Create(s))]);

    /// <summary>Sets the link claims of <paramref name="child"/> to point at <paramref name="parentToken"/>.</summary>
    public static void Link(JsonObject child, string parentToken)
    {
        // A mutated parent may lack a string jti; the child then names a jti that cannot match.
        child[PassportClaimNames.ParentJti] = Payload(parentToken)["jti"] is JsonValue jti && jti.TryGetValue(out string? value) ? value : "(parent has no jti)";
        child[PassportClaimNames.ParentHash] = PassportReader.ComputeParentHash(parentToken);
    }
}
