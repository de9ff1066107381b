using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using AgentPassport.Tests.Support;

namespace AgentPassport.Tests.Corpus;

/// <summary>
/// Builds the Passport conformance corpus (Biscuit-samples style): one case per hostile input of security-perf-notes
/// "Recommended lists (a)" rows 1–15, chain splicing in depth, and valid baselines. Every token is signed by a trusted
/// corpus key unless the case is about the key or the signature bytes, so each case breaks exactly one rule.
/// Regenerate the committed files with <c>AGENT_PASSPORT_REGENERATE_CORPUS=1 dotnet test --filter CorpusTests</c>.
/// Each category is a partial file, CorpusGenerator.&lt;Category&gt;.cs.
/// </summary>
internal sealed partial class CorpusGenerator
{
    public const string Audience = TokenForge.Audience;
    public const string Issuer = TokenForge.Issuer;

    /// <summary>A second trusted issuer whose only key is the corpus's "untrusted" key (see manifest <c>otherIssuers</c>).</summary>
    public const string OtherIssuer = "https://other-issuer.test";

    private readonly CorpusKeys _keys;
    private readonly List<CorpusCase> _cases = [];
    private int _category;
    private string _categoryName = "";
    private string _categorySlug = "";
    private int _number;

    public CorpusGenerator(CorpusKeys keys) => _keys = keys;

    public static DateTimeOffset Now => TokenForge.Now;

    /// <summary>The policy every case starts from; cases list only their overrides.</summary>
    public static JsonObject DefaultPolicy() => new()
    {
        ["issuers"] = new JsonArray(Issuer),
        ["audience"] = Audience,
        ["clockSkewSeconds"] = 30,
        ["allowedAlgorithms"] = new JsonArray(PassportAlgorithms.ES256),
        ["maxChainDepth"] = PassportLimits.MaxChainDepth,
        ["maxTokenBytes"] = PassportLimits.MaxTokenBytes,
        ["maxLifetimeSeconds"] = (int)PassportLimits.MaxRootTtl.TotalSeconds,
        ["requireIal"] = 0,
        ["requireAal"] = 0,
        ["requireFal"] = 0,
        ["requiredScope"] = null,
        ["allowWildcardScope"] = false,
        ["requireHolderBinding"] = false,
        ["requireArgumentBinding"] = false,
        ["proofWindowSeconds"] = 60,
        ["allowedProofAlgorithms"] = new JsonArray(PassportAlgorithms.ES256),
    };

    public IReadOnlyList<CorpusCase> Generate()
    {
        _cases.Clear();
        Baselines();
        Row01AlgNone();
        Row02AlgorithmConfusion();
        Row03Kid();
        Row04EmbeddedKeys();
        Row05Crit();
        Row06Typ();
        Row07Time();
        Row08Duplicates();
        Row09SizeDepth();
        Row10AudIss();
        Row11Encoding();
        Row12Replay();
        Row13AudienceSubstitution();
        Row14ChainSplicing();
        Row15ScopeEscalation();
        ChainContinuity();
        Constraints();
        HolderBinding();
        return _cases;
    }

    // ---------------------------------------------------------------- helpers

    private PassportSigningKey Key => _keys.Current;

    private static JsonObject Root(string[]? scopes = null) => TokenForge.RootClaims(scopes: scopes);

    private string Sign(JsonObject claims, JsonObject? header = null) => TokenForge.Sign(claims, Key, header);

    private JsonObject Header() => TokenForge.HeaderFor(Key);

    private string SignRaw(string headerJson, string payloadJson) => TokenForge.Sign(headerJson, payloadJson, Key);

    private static string Json(JsonNode node) => TokenForge.ToJson(node);

    /// <summary>The claims as JSON with <paramref name="name"/>'s value replaced by raw JSON text.</summary>
    private static string WithRaw(JsonObject claims, string name, string rawValue)
    {
        var copy = (JsonObject)claims.DeepClone();
        copy[name] = "__RAW__";
        return Json(copy).Replace("\"__RAW__\"", rawValue, StringComparison.Ordinal);
    }

    /// <summary>The claims as JSON with <paramref name="member"/> (raw <c>"name":value</c>) appended: a duplicate when the name exists.</summary>
    private static string Append(JsonObject claims, string member) => Json(claims)[..^1] + "," + member + "}";

    private void Category(int number, string slug, string name)
    {
        _category = number;
        _categorySlug = slug;
        _categoryName = name;
        _number = 0;
    }

    private void Add(
        string slug,
        string description,
        string expected,
        string leaf,
        IReadOnlyList<string>? chain = null,
        JsonObject? policy = null,
        ChainBrokenReason reason = ChainBrokenReason.None,
        int? index = null,
        string signedWith = "current",
        string? note = null,
        JsonObject? arguments = null,
        CorpusProof? proof = null)
    {
        _number++;
        string prefix = _category switch
        {
            0 => "b",
            20 => "c",
            21 => "k",
            22 => "h",
            _ => $"r{_category:D2}",
        };
        _cases.Add(new CorpusCase(
            $"{prefix}-{_categorySlug}-{_number:D2}-{slug}",
            _category,
            _categoryName,
            description,
            leaf,
            chain ?? [],
            policy,
            expected,
            reason == ChainBrokenReason.None ? null : reason.ToString(),
            index,
            signedWith,
            note,
            arguments,
            proof));
    }

    private static string Valid => "valid";

    private static string E(PassportErrorKind kind) => kind.ToString();

    private static JsonObject P(params (string Name, JsonNode? Value)[] overrides)
    {
        var o = new JsonObject();
        foreach (var (name, value) in overrides)
        {
            o[name] = value;
        }

        return o;
    }

    private static JsonArray Arr(params string[] values) => new([.. values.Select(v => (JsonNode?)JsonValue.Create(v))]);
}
