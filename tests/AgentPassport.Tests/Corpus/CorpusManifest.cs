using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace AgentPassport.Tests.Corpus;

/// <summary>Writes and reads <c>Corpus/manifest.json</c> and the token files it names (format: Corpus/README.md).</summary>
internal sealed class CorpusManifest
{
    public const string Format = "agent-passport-conformance";
    public const int Version = 1;

    /// <summary>The JWKS of the second trusted issuer: the "untrusted" key, trusted for that issuer only.</summary>
    public const string OtherIssuerJwksFile = "jwks-other-issuer.json";

    private static readonly JsonSerializerOptions Pretty = new() { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private CorpusManifest(string dir, JsonObject root)
    {
        Directory = dir;
        Root = root;
        Cases = [.. root["cases"]!.AsArray().Select(c => (JsonObject)c!)];
    }

    public string Directory { get; }

    public JsonObject Root { get; }

    public IReadOnlyList<JsonObject> Cases { get; }

    public DateTimeOffset Now => DateTimeOffset.FromUnixTimeSeconds(Root["now"]!.GetValue<long>());

    public JsonObject DefaultPolicy => Root["defaultPolicy"]!.AsObject();

    public string JwksJson => File.ReadAllText(Path.Combine(Directory, Root["jwks"]!.GetValue<string>()));

    /// <summary>
    /// Builds the verifier's trust: the default policy's issuer with <see cref="JwksJson"/>, and each issuer of
    /// <c>otherIssuers</c> with its own JWKS (spec v1.1 §10: a kid is looked up only under the token's own iss).
    /// </summary>
    public TrustedIssuers TrustedIssuers()
    {
        var trust = new TrustedIssuers();
        foreach (var issuer in DefaultPolicy["issuers"]!.AsArray())
        {
            trust.Add(issuer!.GetValue<string>(), JwksPassportKeyResolver.FromJson(JwksJson));
        }

        foreach (var (issuer, file) in Root["otherIssuers"]?.AsObject() ?? [])
        {
            trust.Add(issuer, JwksPassportKeyResolver.FromJson(File.ReadAllText(Path.Combine(Directory, file!.GetValue<string>()))));
        }

        return trust;
    }

    public JsonObject Case(string id) => Cases.Single(c => c["id"]!.GetValue<string>() == id);

    /// <summary>Reads a token file byte for byte (no trimming: some cases end in whitespace on purpose).</summary>
    public string Token(string relative) => Encoding.UTF8.GetString(File.ReadAllBytes(Path.Combine(Directory, relative)));

    public static CorpusManifest Load(string dir) =>
        new(dir, JsonNode.Parse(File.ReadAllText(Path.Combine(dir, "manifest.json")))!.AsObject());

    /// <summary>Builds the manifest object for <paramref name="cases"/> (token files under <c>tokens/</c>).</summary>
    public static JsonObject Build(IReadOnlyList<CorpusCase> cases, CorpusKeys keys)
    {
        var list = new JsonArray();
        foreach (var c in cases)
        {
            var entry = new JsonObject
            {
                ["id"] = c.Id,
                ["category"] = c.Category,
                ["categoryName"] = c.CategoryName,
                ["description"] = c.Description,
                ["token"] = $"tokens/{c.Id}.jwt",
                ["chain"] = new JsonArray([.. c.Chain.Select((_, i) => (JsonNode?)JsonValue.Create($"tokens/{c.Id}.chain{i}.jwt"))]),
                ["policy"] = c.Policy?.DeepClone() ?? new JsonObject(),
                ["expected"] = new JsonObject
                {
                    ["result"] = c.Expected,
                    ["chainReason"] = c.ChainReason,
                    ["chainIndex"] = c.ChainIndex,
                },
                ["signedWith"] = c.SignedWith,
                ["note"] = c.Note,
            };

            // Only argument-constraint cases (spec v1.1 §13) carry the call's arguments, checked against policy.requiredScope.
            if (c.Arguments is not null)
            {
                entry["arguments"] = c.Arguments.DeepClone();
            }

            // Only holder-binding cases (spec v1.1 §11) carry a proof, the call it must match, and the proof failure reason.
            if (c.Proof is { } proof)
            {
                entry["expected"]!["proofReason"] = proof.Reason;
                entry["proof"] = new JsonObject
                {
                    ["token"] = proof.Token is null ? null : $"tokens/{c.Id}.proof.jwt",
                    ["audience"] = proof.Audience,
                    ["op"] = proof.Operation,
                    ["htm"] = proof.HttpMethod,
                    ["htu"] = proof.HttpUrl,
                    ["arguments"] = proof.Arguments?.DeepClone(),
                    ["signedWith"] = proof.SignedWith,
                };
            }

            list.Add(entry);
        }

        return new JsonObject
        {
            ["format"] = Format,
            ["version"] = Version,
            ["spec"] = "passport-v1 (§2–§5)",
            ["generator"] = "tests/AgentPassport.Tests/Corpus/CorpusGenerator.cs (AGENT_PASSPORT_REGENERATE_CORPUS=1)",
            ["now"] = CorpusGenerator.Now.ToUnixTimeSeconds(),
            ["nowIso"] = CorpusGenerator.Now.ToString("O", System.Globalization.CultureInfo.InvariantCulture),
            ["jwks"] = "jwks.json",
            ["otherIssuers"] = new JsonObject { [CorpusGenerator.OtherIssuer] = OtherIssuerJwksFile },
            ["keys"] = new JsonObject
            {
                ["current"] = new JsonObject { ["kid"] = keys.Current.KeyId, ["pkcs8"] = CorpusKeys.CurrentFile, ["trusted"] = true },
                ["previous"] = new JsonObject { ["kid"] = keys.Previous.KeyId, ["pkcs8"] = CorpusKeys.PreviousFile, ["trusted"] = true },
                ["untrusted"] = new JsonObject { ["kid"] = keys.Attacker.KeyId, ["pkcs8"] = CorpusKeys.AttackerFile, ["trusted"] = false },
                ["warning"] = "TEST-ONLY keys, committed so the corpus is reproducible. They protect nothing.",
            },
            ["holderKeys"] = HolderKeys(keys.Holders),
            ["defaultPolicy"] = CorpusGenerator.DefaultPolicy(),
            ["caseCount"] = cases.Count,
            ["cases"] = list,
        };
    }

    // The holder keys of the holder-binding cases: each name's thumbprint (what a bound token's cnf.jkt says) and private JWK file.
    private static JsonObject HolderKeys(CorpusHolderKeys holders)
    {
        var o = new JsonObject();
        foreach (string name in CorpusHolderKeys.Names)
        {
            o[name] = new JsonObject { ["jkt"] = holders[name].Thumbprint, ["jwk"] = CorpusHolderKeys.File(name) };
        }

        return o;
    }

    /// <summary>Writes the manifest, the JWKS and every token file into <paramref name="dir"/>, replacing old token files.</summary>
    public static void Write(string dir, IReadOnlyList<CorpusCase> cases, CorpusKeys keys)
    {
        string tokens = Path.Combine(dir, "tokens");
        if (System.IO.Directory.Exists(tokens))
        {
            System.IO.Directory.Delete(tokens, recursive: true);
        }

        System.IO.Directory.CreateDirectory(tokens);
        foreach (var c in cases)
        {
            File.WriteAllBytes(Path.Combine(tokens, $"{c.Id}.jwt"), Encoding.UTF8.GetBytes(c.Leaf));
            for (int i = 0; i < c.Chain.Count; i++)
            {
                File.WriteAllBytes(Path.Combine(tokens, $"{c.Id}.chain{i}.jwt"), Encoding.UTF8.GetBytes(c.Chain[i]));
            }

            if (c.Proof?.Token is { } proof)
            {
                File.WriteAllBytes(Path.Combine(tokens, $"{c.Id}.proof.jwt"), Encoding.UTF8.GetBytes(proof));
            }
        }

        File.WriteAllText(Path.Combine(dir, "jwks.json"), keys.Jwks + "\n");
        File.WriteAllText(Path.Combine(dir, OtherIssuerJwksFile), Jwks.Export([keys.Attacker.PublicKey]) + "\n");
        File.WriteAllText(Path.Combine(dir, "manifest.json"), Build(cases, keys).ToJsonString(Pretty) + "\n");
    }
}
