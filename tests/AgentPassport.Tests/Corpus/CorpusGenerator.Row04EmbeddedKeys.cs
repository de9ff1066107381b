using System.Text.Json.Nodes;

namespace AgentPassport.Tests.Corpus;

/// <summary>Corpus category: security-perf-notes row 4, embedded key headers.</summary>
internal sealed partial class CorpusGenerator
{
    private void Row04EmbeddedKeys()
    {
        Category(4, "embedded-key", "embedded key headers");
        var attackerJwk = JsonNode.Parse(_keys.Attacker.PublicKey.ToJwkJson())!;
        foreach (var (name, value) in new (string, JsonNode)[]
        {
            ("jwk", attackerJwk),
            ("jku", JsonValue.Create("https://attacker.example/jwks.json")),
            ("x5u", JsonValue.Create("https://attacker.example/cert.pem")),
            ("x5c", new JsonArray("MIIBszCCAVmgAwIBAgIUKGV4YW1wbGU=")),
        })
        {
            var h = Header();
            h[name] = value.DeepClone();
            Add($"header-{name}", $"Header carries '{name}' (signed by the trusted key, so only the member is wrong).", E(PassportErrorKind.InvalidToken), Sign(Root(), h));
        }
    }
}
