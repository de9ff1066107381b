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
/// </summary>
internal sealed class CorpusGenerator
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
        string? note = null)
    {
        _number++;
        string prefix = _category switch
        {
            0 => "b",
            20 => "c",
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
            note));
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

    // ---------------------------------------------------------------- baselines

    private void Baselines()
    {
        Category(0, "baseline", "baseline");
        Add("root-valid", "A root Passport as the issuer mints it.", Valid, Sign(Root()));
        Add("root-required-scope-ial2", "Root covering the required scope flights:book under an IAL2/AAL2/FAL2 floor.", Valid, Sign(Root()),
            policy: P(("requiredScope", "flights:book"), ("requireIal", 2), ("requireAal", 2), ("requireFal", 2)));
        var abc = ForgedChain.AliceBobCarol(rootMaxDepth: 3).Sign(Key);
        Add("alice-bob-carol-valid", "Alice → Bob → Carol with max_depth 3/2/1, verified with the chain.", Valid, abc[2], abc[..2],
            policy: P(("requiredScope", "flights:book"), ("requireIal", 2)));
        var prev = TokenForge.Sign(Root(), _keys.Previous);
        Add("root-signed-by-previous-key", "A root signed by the rotated-out key that is still in the JWKS.", Valid, prev, signedWith: "previous");
    }

    // ---------------------------------------------------------------- row 1

    private void Row01AlgNone()
    {
        Category(1, "alg-none", "alg none and case variants, empty/missing signature");
        string payload = TokenForge.B64(Json(Root()));
        string NoneHeader(string alg) => TokenForge.B64(Json(new JsonObject { ["alg"] = alg, ["typ"] = PassportClaimNames.TokenType, ["kid"] = Key.KeyId }));

        Add("alg-none-empty-signature", "alg none with an empty signature segment.", E(PassportErrorKind.InvalidToken),
            NoneHeader("none") + "." + payload + ".", signedWith: "none", note: "Refused at the segment split (three non-empty segments) before alg is read.");
        Add("alg-NoNe-signed", "alg NoNe with a real ES256 signature of the trusted key.", E(PassportErrorKind.AlgorithmNotAllowed),
            TokenForge.SignSegments(NoneHeader("NoNe"), payload, Key));
        Add("alg-NONE-garbage-signature", "alg NONE with a 3-byte signature.", E(PassportErrorKind.AlgorithmNotAllowed),
            NoneHeader("NONE") + "." + payload + ".AAAA", signedWith: "none");
        string good = Sign(Root());
        Add("es256-empty-signature", "alg ES256 with the signature segment emptied.", E(PassportErrorKind.InvalidToken),
            good[..(good.LastIndexOf('.') + 1)], signedWith: "none");
        Add("two-segments", "header.payload with no signature segment at all.", E(PassportErrorKind.InvalidToken),
            good[..good.LastIndexOf('.')], signedWith: "none");
        Add("policy-allows-none", "A policy listing 'none' (the RequireSignedTokens=false misconfiguration) cannot be built.", "InvalidPolicy",
            good, policy: P(("allowedAlgorithms", Arr("ES256", "none"))));
    }

    // ---------------------------------------------------------------- row 2

    private void Row02AlgorithmConfusion()
    {
        Category(2, "alg-confusion", "algorithm confusion");
        string payload = TokenForge.B64(Json(Root()));
        var ec = Key.PublicKey;
        byte[] spki;
        using (var probe = ECDsa.Create())
        {
            var jwk = JsonNode.Parse(ec.ToJwkJson())!;
            probe.ImportParameters(new ECParameters
            {
                Curve = ECCurve.NamedCurves.nistP256,
                Q = new ECPoint { X = TokenForge.Unb64(jwk["x"]!.GetValue<string>()), Y = TokenForge.Unb64(jwk["y"]!.GetValue<string>()) },
            });
            spki = probe.ExportSubjectPublicKeyInfo();
        }

        string pem = PemEncoding.WriteString("PUBLIC KEY", spki);
        var jwkNode = JsonNode.Parse(ec.ToJwkJson())!;
        byte[] rawXy = [.. TokenForge.Unb64(jwkNode["x"]!.GetValue<string>()), .. TokenForge.Unb64(jwkNode["y"]!.GetValue<string>())];

        string Hs(byte[] secret)
        {
            string h = TokenForge.B64(Json(new JsonObject { ["alg"] = "HS256", ["typ"] = PassportClaimNames.TokenType, ["kid"] = Key.KeyId }));
            string input = h + "." + payload;
            return input + "." + TokenForge.B64(HMACSHA256.HashData(secret, Encoding.ASCII.GetBytes(input)));
        }

        Add("hs256-keyed-with-spki", "HS256 MAC keyed with the trusted EC key's SPKI DER bytes.", E(PassportErrorKind.AlgorithmNotAllowed), Hs(spki), signedWith: "modified");
        Add("hs256-keyed-with-pem", "HS256 MAC keyed with the trusted EC key's PEM text.", E(PassportErrorKind.AlgorithmNotAllowed), Hs(Encoding.ASCII.GetBytes(pem)), signedWith: "modified");
        Add("hs256-keyed-with-jwk", "HS256 MAC keyed with the trusted key's public JWK text.", E(PassportErrorKind.AlgorithmNotAllowed), Hs(Encoding.UTF8.GetBytes(ec.ToJwkJson())), signedWith: "modified");
        Add("hs256-keyed-with-raw-xy", "HS256 MAC keyed with the raw x‖y of the trusted key.", E(PassportErrorKind.AlgorithmNotAllowed), Hs(rawXy), signedWith: "modified");

        foreach (var alg in new[] { "ES384", "ES512" })
        {
            var h = Header();
            h["alg"] = alg;
            Add($"{alg.ToLowerInvariant()}-header-p256-key", $"alg {alg} with the P-256 key's kid and an ES256 signature.", E(PassportErrorKind.AlgorithmNotAllowed), Sign(Root(), h));
        }

        foreach (var alg in new[] { "RS256", "PS256" })
        {
            var h = Header();
            h["alg"] = alg;
            Add($"{alg.ToLowerInvariant()}-header-p256-kid", $"alg {alg} (allowed by the policy) naming the P-256 key's kid: the key is bound to ES256.", E(PassportErrorKind.KeyNotFound),
                Sign(Root(), h), policy: P(("allowedAlgorithms", Arr("ES256", "RS256", "PS256"))));
        }
    }

    // ---------------------------------------------------------------- row 3

    private void Row03Kid()
    {
        Category(3, "kid", "kid abuse");
        JsonObject H(string kid)
        {
            var h = Header();
            h["kid"] = kid;
            return h;
        }

        Add("kid-unknown", "A well-formed thumbprint that no trusted key has.", E(PassportErrorKind.KeyNotFound), Sign(Root(), H(_keys.Attacker.KeyId)));
        Add("kid-path-traversal", "kid ../../../../dev/null.", E(PassportErrorKind.KeyNotFound), Sign(Root(), H("../../../../dev/null")));
        Add("kid-sql", "kid x' OR '1'='1.", E(PassportErrorKind.KeyNotFound), Sign(Root(), H("x' OR '1'='1")));
        Add("kid-empty", "kid \"\".", E(PassportErrorKind.InvalidToken), Sign(Root(), H("")));
        Add("kid-10kb", "A 10 KB kid (the token stays under the size cap).", E(PassportErrorKind.KeyNotFound), Sign(Root(), H(new string('k', 10 * 1024))));
        Add("kid-of-another-trusted-key", "Signed by the current key but naming the previous (also trusted) key's kid: no 'try every key'.", E(PassportErrorKind.InvalidSignature),
            Sign(Root(), H(_keys.Previous.KeyId)));
    }

    // ---------------------------------------------------------------- row 4

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

    // ---------------------------------------------------------------- row 5

    private void Row05Crit()
    {
        Category(5, "crit", "crit");
        void Crit(string slug, string description, JsonNode crit, string? extraMember = null)
        {
            var h = Header();
            h["crit"] = crit;
            if (extraMember is not null)
            {
                h[extraMember] = true;
            }

            Add(slug, description, E(PassportErrorKind.InvalidToken), Sign(Root(), h));
        }

        Crit("crit-unknown-name", "crit [\"passport-ext\"] with the member present.", Arr("passport-ext"), "passport-ext");
        Crit("crit-empty-array", "crit [] (forbidden by RFC 7515).", new JsonArray());
        Crit("crit-standard-name", "crit [\"alg\"] (a standard name).", Arr("alg"));
        Crit("crit-absent-name", "crit [\"exp-ext\"] naming a member the header lacks.", Arr("exp-ext"));
        Crit("crit-not-array", "crit \"passport-ext\" (not an array).", JsonValue.Create("passport-ext"), "passport-ext");
    }

    // ---------------------------------------------------------------- row 6

    private void Row06Typ()
    {
        Category(6, "typ", "typ");
        JsonObject H(JsonNode? typ)
        {
            var h = Header();
            if (typ is null)
            {
                h.Remove("typ");
            }
            else
            {
                h["typ"] = typ;
            }

            return h;
        }

        Add("typ-missing", "No typ.", E(PassportErrorKind.InvalidToken), Sign(Root(), H(null)));
        Add("typ-JWT", "typ JWT.", E(PassportErrorKind.InvalidToken), Sign(Root(), H("JWT")));
        Add("typ-at-jwt", "typ at+jwt (an access token).", E(PassportErrorKind.InvalidToken), Sign(Root(), H("at+jwt")));
        Add("typ-uppercase", "typ AGENT-PASSPORT+JWT: media types compare case-insensitively (RFC 7515 §4.1.9).", Valid, Sign(Root(), H("AGENT-PASSPORT+JWT")));
        Add("typ-application-prefix", "typ Application/Agent-Passport+JWT: the application/ prefix may be present.", Valid, Sign(Root(), H("Application/Agent-Passport+JWT")));
        Add("typ-number", "typ 1 (not a string).", E(PassportErrorKind.InvalidToken), Sign(Root(), H(1)));
        Add("typ-trailing-space", "typ \"agent-passport+jwt \".", E(PassportErrorKind.InvalidToken), Sign(Root(), H("agent-passport+jwt ")));
    }

    // ---------------------------------------------------------------- row 7

    private void Row07Time()
    {
        Category(7, "time", "time");
        long now = TokenForge.Unix(Now);
        JsonObject T(long iat, long nbf, long exp)
        {
            var c = Root();
            c["iat"] = iat;
            c["nbf"] = nbf;
            c["exp"] = exp;
            return c;
        }

        Add("exp-past-beyond-skew", "exp = now − 31 s (skew 30 s).", E(PassportErrorKind.Expired), Sign(T(now - 900, now - 900, now - 31)));
        Add("exp-past-within-skew", "exp = now − 30 s: exactly at the skew boundary, accepted.", Valid, Sign(T(now - 900, now - 900, now - 30)));
        var missing = Root();
        missing.Remove("exp");
        Add("exp-missing", "No exp.", E(PassportErrorKind.MalformedClaims), Sign(missing));
        Add("exp-string", "exp as a JSON string.", E(PassportErrorKind.MalformedClaims), SignRaw(Json(Header()), WithRaw(Root(), "exp", $"\"{now + 900}\"")));
        Add("exp-float", "exp as a JSON float.", E(PassportErrorKind.MalformedClaims), SignRaw(Json(Header()), WithRaw(Root(), "exp", $"{now + 900}.5")));
        Add("exp-null", "exp null.", E(PassportErrorKind.MalformedClaims), SignRaw(Json(Header()), WithRaw(Root(), "exp", "null")));
        Add("exp-huge-1e20", "exp 1e20.", E(PassportErrorKind.MalformedClaims), SignRaw(Json(Header()), WithRaw(Root(), "exp", "1e20")));
        Add("exp-negative", "exp −1.", E(PassportErrorKind.MalformedClaims), Sign(T(now, now, -1)));
        Add("exp-past-datetime-max", "exp 253402300800 (year 10000, beyond DateTimeOffset.MaxValue).", E(PassportErrorKind.MalformedClaims), Sign(T(now, now, 253402300800)));
        Add("nbf-future", "nbf = now + 31 s.", E(PassportErrorKind.NotYetValid), Sign(T(now, now + 31, now + 900)));
        Add("nbf-after-exp", "nbf after exp (both in the future).", E(PassportErrorKind.MalformedClaims), Sign(T(now, now + 120, now + 60)));
        Add("iat-future", "iat = now + 31 s with nbf = now.", E(PassportErrorKind.NotYetValid), Sign(T(now + 31, now, now + 900)),
            note: "A future iat is reported as NotYetValid (spec §5 step 4 names Expired/NotYetValid/MalformedClaims for the time checks).");
        Add("lifetime-over-cap", "exp − iat = 24 h + 1 s.", E(PassportErrorKind.MalformedClaims), Sign(T(now, now, now + 86401)));
        var chain = ForgedChain.AliceBobCarol().Sign(Key, (i, c) =>
        {
            if (i == 2)
            {
                c["exp"] = now + 301 + 60;
            }
        });
        Add("child-exp-after-parent", "Carol's exp is after Bob's.", E(PassportErrorKind.ChainBroken), chain[2], chain[..2], reason: ChainBrokenReason.ExpiryExceedsParent);
    }

    // ---------------------------------------------------------------- row 8

    private void Row08Duplicates()
    {
        Category(8, "duplicates", "duplicate member names");
        string payload = Json(Root());
        string typ = PassportClaimNames.TokenType;
        Add("header-alg-none-then-es256", "Header {alg:none,…,alg:ES256}.", E(PassportErrorKind.MalformedClaims),
            SignRaw($"{{\"alg\":\"none\",\"typ\":\"{typ}\",\"kid\":\"{Key.KeyId}\",\"alg\":\"ES256\"}}", payload));
        Add("header-alg-es256-then-none", "Header {alg:ES256,…,alg:none}.", E(PassportErrorKind.MalformedClaims),
            SignRaw($"{{\"alg\":\"ES256\",\"typ\":\"{typ}\",\"kid\":\"{Key.KeyId}\",\"alg\":\"none\"}}", payload));
        Add("header-kid-twice", "Header with kid twice (trusted kid last).", E(PassportErrorKind.MalformedClaims),
            SignRaw($"{{\"alg\":\"ES256\",\"typ\":\"{typ}\",\"kid\":\"unknown\",\"kid\":\"{Key.KeyId}\"}}", payload));
        string header = Json(Header());
        Add("payload-sub-twice", "sub twice: {sub:alice,…,sub:mallory}.", E(PassportErrorKind.MalformedClaims), SignRaw(header, Append(Root(), "\"sub\":\"user-mallory\"")));
        Add("payload-aud-twice", "aud twice.", E(PassportErrorKind.MalformedClaims), SignRaw(header, Append(Root(), "\"aud\":\"https://other.example.com/\"")));
        Add("payload-act-twice", "act twice at the top level.", E(PassportErrorKind.MalformedClaims), SignRaw(header, Append(Root(), "\"act\":{\"sub\":\"agent:mallory\"}")));
        Add("nested-act-sub-twice", "A nested act object with sub twice.", E(PassportErrorKind.MalformedClaims),
            SignRaw(header, WithRaw(Root(), "act", "{\"sub\":\"agent:alice\",\"sub\":\"agent:mallory\"}")));
    }

    // ---------------------------------------------------------------- row 9

    private void Row09SizeDepth()
    {
        Category(9, "size-depth", "size and depth");
        Add("size-at-cap", "A token of just under or exactly 16384 bytes (padded with an unknown claim).", Valid, Padded(PassportLimits.MaxTokenBytes, under: true));
        Add("size-over-cap", "A token of just over 16384 bytes.", E(PassportErrorKind.InvalidToken), Padded(PassportLimits.MaxTokenBytes, under: false));
        string good = Sign(Root());
        Add("five-part-jwe", "A five-segment (JWE-shaped) token.", E(PassportErrorKind.InvalidToken), good + ".AAAA.BBBB", signedWith: "none");
        Add("200k-dots", "200,000 '.' characters.", E(PassportErrorKind.InvalidToken), new string('.', 200_000), signedWith: "none");
        var deep = ForgedChain.OfDepth(PassportLimits.MaxChainDepth).Sign(Key);
        Add("act-depth-at-cap", "A chain 8 hops deep (act nests 9 actors), the format's cap.", Valid, deep[^1], deep[..^1]);
        var deeper = ForgedChain.OfDepth(PassportLimits.MaxChainDepth + 1).Sign(Key);
        // Nine parents are over the depth cap: refused by counting them, before the leaf (or its act) is parsed.
        Add("act-depth-over-cap", "A chain 9 hops deep: the leaf's act nests 10 actors.", E(PassportErrorKind.ChainBroken), deeper[^1], deeper[..^1], reason: ChainBrokenReason.DepthExceeded);
        string header = Json(Header());
        Add("json-depth-65", "An unknown claim nested 65 arrays deep.", E(PassportErrorKind.MalformedClaims),
            SignRaw(header, Append(Root(), "\"x-deep\":" + new string('[', 65) + new string(']', 65))));
        Add("array-5000-deep", "An unknown claim nested 5,000 arrays deep.", E(PassportErrorKind.MalformedClaims),
            SignRaw(header, Append(Root(), "\"x-deep\":" + new string('[', 5000) + new string(']', 5000))));
        var many = new StringBuilder();
        for (int i = 0; i < 20_000; i++)
        {
            many.Append(i == 0 ? "" : ",").Append("\"c").Append(i).Append("\":0");
        }

        Add("20k-claims", "20,000 extra claims (far over the size cap).", E(PassportErrorKind.InvalidToken), SignRaw(header, Append(Root(), many.ToString())));
    }

    private string Padded(int target, bool under)
    {
        for (int pad = (target * 3 / 4) - 1200; ; pad++)
        {
            var c = Root();
            c["x-pad"] = new string('p', pad);
            string token = Sign(c);
            if (under ? token.Length >= target - 3 && token.Length <= target : token.Length > target)
            {
                return token;
            }
        }
    }

    // ---------------------------------------------------------------- row 10

    private void Row10AudIss()
    {
        Category(10, "aud-iss", "aud and iss strings");
        string WithAud(JsonNode? aud)
        {
            var c = Root();
            c["aud"] = aud;
            return Sign(c);
        }

        Add("aud-no-trailing-slash", "aud without the policy's trailing slash.", E(PassportErrorKind.AudienceMismatch), WithAud("https://flights-mcp.example.com"));
        Add("aud-uppercase", "aud in upper case.", E(PassportErrorKind.AudienceMismatch), WithAud("HTTPS://FLIGHTS-MCP.EXAMPLE.COM/"));
        Add("aud-zwsp", "aud with a trailing zero-width space.", E(PassportErrorKind.AudienceMismatch), WithAud(Audience + "\u200B"));
        Add("aud-nbsp", "aud with a leading no-break space.", E(PassportErrorKind.AudienceMismatch), WithAud("\u00A0" + Audience));
        Add("aud-leading-space", "aud with a leading space.", E(PassportErrorKind.AudienceMismatch), WithAud(" " + Audience));
        Add("aud-fullwidth", "aud with a fullwidth 'ｆ'.", E(PassportErrorKind.AudienceMismatch), WithAud("https://\uFF46lights-mcp.example.com/"));
        Add("aud-nfd-vs-nfc", "aud in NFD where the policy's audience is NFC.", E(PassportErrorKind.AudienceMismatch), WithAud("https://cafe\u0301.example.com/"),
            policy: P(("audience", "https://caf\u00E9.example.com/")));
        Add("aud-array-with-extra", "aud as an array holding the audience and another.", E(PassportErrorKind.MalformedClaims), WithAud(Arr(Audience, "https://other.example.com/")));
        Add("aud-empty-array", "aud [].", E(PassportErrorKind.MalformedClaims), WithAud(new JsonArray()));
        var missing = Root();
        missing.Remove("aud");
        Add("aud-missing", "No aud.", E(PassportErrorKind.MalformedClaims), Sign(missing));
        var iss = Root();
        iss["iss"] = Issuer + "/";
        Add("iss-trailing-slash", "iss with a trailing slash.", E(PassportErrorKind.UntrustedIssuer), Sign(iss));
    }

    // ---------------------------------------------------------------- row 11

    private void Row11Encoding()
    {
        Category(11, "encoding", "encoding and malleability");
        string payloadJson = Json(Root());
        string h = TokenForge.B64(Json(Header()));
        string p = TokenForge.B64(payloadJson);
        string good = TokenForge.SignSegments(h, p, Key);

        Add("header-padding", "'=' padding on the header segment (signed over the literal text).", E(PassportErrorKind.InvalidToken), TokenForge.SignSegments(h + "=", p, Key));
        Add("payload-padding", "'=' padding on the payload segment (signed over the literal text).", E(PassportErrorKind.InvalidToken), TokenForge.SignSegments(h, p + "==", Key));
        Add("signature-padding", "'=' padding on the signature segment.", E(PassportErrorKind.InvalidToken), good + "=", signedWith: "modified");
        Add("header-space", "A space inside the header segment (signed over the literal text).", E(PassportErrorKind.InvalidToken), TokenForge.SignSegments(h[..8] + " " + h[8..], p, Key));
        Add("payload-space", "A space inside the payload segment (signed over the literal text).", E(PassportErrorKind.InvalidToken), TokenForge.SignSegments(h, p[..8] + " " + p[8..], Key));
        string sig = good[(good.LastIndexOf('.') + 1)..];
        Add("signature-space", "A space inside the signature segment.", E(PassportErrorKind.InvalidToken), good[..(good.LastIndexOf('.') + 1)] + sig[..8] + " " + sig[8..], signedWith: "modified");

        string withUrlChars = good;
        while (withUrlChars[(withUrlChars.LastIndexOf('.') + 1)..].IndexOfAny(['-', '_']) < 0)
        {
            withUrlChars = TokenForge.SignSegments(h, p, Key);
        }

        int dot = withUrlChars.LastIndexOf('.');
        Add("signature-standard-alphabet", "The signature in the '+/' alphabet.", E(PassportErrorKind.InvalidToken),
            withUrlChars[..(dot + 1)] + withUrlChars[(dot + 1)..].Replace('-', '+').Replace('_', '/'), signedWith: "modified");
        Add("signature-unused-bits", "The last signature character with non-zero unused bits.", E(PassportErrorKind.InvalidToken), UnusedBits(good), signedWith: "modified");
        Add("trailing-newline", "The token followed by a newline.", E(PassportErrorKind.InvalidToken), good + "\n", signedWith: "modified");

        byte[] raw = SignatureTricks.SignatureOf(good);
        Add("high-s-twin", "The high-S twin (r, n − s) of a valid signature.", Valid, SignatureTricks.WithSignature(good, SignatureTricks.HighSTwin(raw)), signedWith: "modified",
            note: "ECDSA malleability: the twin is a valid signature of the same content (Wycheproof tc1 is 'valid'). Harmless for a single token; in a chain the twin has another parent_hash (see c-chain-continuity-05-high-s-twin-parent). Never use token strings as identities.");
        Add("signature-der", "The same (r, s) DER-encoded.", E(PassportErrorKind.InvalidSignature), SignatureTricks.WithSignature(good, SignatureTricks.ToDer(raw)), signedWith: "modified");
        Add("signature-63-bytes", "The signature without its last byte.", E(PassportErrorKind.InvalidSignature), SignatureTricks.WithSignature(good, raw[..63]), signedWith: "modified");
        Add("signature-65-bytes", "The signature with a zero byte appended.", E(PassportErrorKind.InvalidSignature), SignatureTricks.WithSignature(good, [.. raw, 0]), signedWith: "modified");
        Add("signature-r0-s0", "r = 0, s = 0 (the 'psychic signature').", E(PassportErrorKind.InvalidSignature), SignatureTricks.WithSignature(good, new byte[64]), signedWith: "modified");
    }

    private static string UnusedBits(string token)
    {
        // 64 bytes → 86 characters; the last one carries 4 unused bits.
        const string Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        int last = Alphabet.IndexOf(token[^1], StringComparison.Ordinal);
        return token[..^1] + Alphabet[last | 1];
    }

    // ---------------------------------------------------------------- row 12

    private void Row12Replay()
    {
        Category(12, "replay", "replay and jti");
        var missing = Root();
        missing.Remove("jti");
        Add("jti-missing", "No jti.", E(PassportErrorKind.MalformedClaims), Sign(missing));
        var empty = Root();
        empty["jti"] = "";
        Add("jti-empty", "jti \"\".", E(PassportErrorKind.MalformedClaims), Sign(empty));
        var number = Root();
        number["jti"] = 42;
        Add("jti-number", "jti as a number.", E(PassportErrorKind.MalformedClaims), Sign(number));
        var chain = ForgedChain.AliceBobCarol().Sign(Key, (i, c) =>
        {
            if (i == 2)
            {
                c["jti"] = "jti-agent:bob";
            }
        });
        Add("jti-repeated-in-chain", "Carol reuses Bob's jti (a replayed hop).", E(PassportErrorKind.ChainBroken), chain[2], chain[..2], reason: ChainBrokenReason.DuplicateJti,
            note: "Cross-request replay (the same token twice) is not a stateless verifier's decision: spec §5 reserves ReplayDetected for a replay cache.");
    }

    // ---------------------------------------------------------------- row 13

    private void Row13AudienceSubstitution()
    {
        Category(13, "aud-substitution", "audience substitution");
        var hotels = Root();
        hotels["aud"] = "https://hotels-mcp.example.com/";
        Add("token-for-tool-a-at-tool-b", "A token minted for the hotels tool presented to the flights tool.", E(PassportErrorKind.AudienceMismatch), Sign(hotels));
        var chain = ForgedChain.AliceBobCarol();
        chain.Claims[1]["aud"] = "https://service-b.example.com/";
        var t = chain.Sign(Key);
        Add("parent-token-as-leaf", "Bob's token (for service-b) taken from Carol's chain and presented to Carol's audience.", E(PassportErrorKind.AudienceMismatch), t[1], t[..1]);
        var arr = Root();
        arr["aud"] = Arr("https://hotels-mcp.example.com/", Audience);
        Add("aud-array-both-tools", "aud [hotels, flights].", E(PassportErrorKind.MalformedClaims), Sign(arr));
    }

    // ---------------------------------------------------------------- row 14

    private void Row14ChainSplicing()
    {
        Category(14, "chain-splicing", "chain splicing");
        var abc = ForgedChain.AliceBobCarol();
        var t = abc.Sign(Key);

        var untrusted = abc.Sign(Key, keyFor: i => i == 2 ? _keys.Attacker : Key);
        Add("child-signed-by-untrusted-key", "Carol signed by a key not in the JWKS.", E(PassportErrorKind.KeyNotFound), untrusted[2], untrusted[..2], signedWith: "untrusted");
        Add("reordered-hops", "Carol with the chain [Bob, Alice].", E(PassportErrorKind.ChainBroken), t[2], [t[1], t[0]], reason: ChainBrokenReason.ParentJtiMismatch);
        Add("dropped-middle-hop", "Carol with the chain [Alice].", E(PassportErrorKind.ChainBroken), t[2], [t[0]], reason: ChainBrokenReason.ActorMismatch);
        Add("duplicated-hop", "Carol with the chain [Alice, Bob, Bob].", E(PassportErrorKind.ChainBroken), t[2], [t[0], t[1], t[1]], reason: ChainBrokenReason.ActorMismatch,
            note: "The chain length no longer matches the act nesting, which is checked before the jti uniqueness.");
        var otherRoot = TokenForge.RootClaims(jti: "jti-agent:alice-second-session");
        Add("hop-from-another-chain-same-sub", "Bob spliced onto another root of the same principal.", E(PassportErrorKind.ChainBroken), t[2], [Sign(otherRoot), t[1]],
            reason: ChainBrokenReason.ParentJtiMismatch, index: 1);
        var hash = abc.Sign(Key, (i, c) =>
        {
            if (i == 2)
            {
                c[PassportClaimNames.ParentHash] = PassportReader.ComputeParentHash(t[1]);
            }
        });
        Add("parent-hash-mismatch", "Carol bound to an earlier signing of Bob (same jti, other token).", E(PassportErrorKind.ChainBroken), hash[2], hash[..2], reason: ChainBrokenReason.ParentHashMismatch);
        var exp = abc.Sign(Key, (i, c) =>
        {
            if (i == 2)
            {
                c["exp"] = TokenForge.Unix(Now.AddMinutes(6));
            }
        });
        Add("child-exp-after-parent", "Carol outlives Bob.", E(PassportErrorKind.ChainBroken), exp[2], exp[..2], reason: ChainBrokenReason.ExpiryExceedsParent);
        var aud = ForgedChain.AliceBobCarol();
        aud.Claims[1]["aud"] = "https://service-b.example.com/";
        var audTokens = aud.Sign(Key);
        Add("child-aud-differs-from-parent", "Carol's audience differs from Bob's.", Valid, audTokens[2], audTokens[..2],
            note: "Spec §4/§5.6 have no audience-attenuation rule: each hop names its own single audience and only the leaf's is checked.");
        var act = abc.Sign(Key, (i, c) =>
        {
            if (i == 2)
            {
                c["act"] = new JsonObject { ["sub"] = "agent:carol", ["act"] = new JsonObject { ["sub"] = "agent:mallory", ["act"] = new JsonObject { ["sub"] = "agent:alice" } } };
            }
        });
        Add("act-not-parent-plus-one", "Carol's act names Mallory where Bob was.", E(PassportErrorKind.ChainBroken), act[2], act[..2], reason: ChainBrokenReason.ActorMismatch);
        var cycle = abc.Sign(Key, (i, c) =>
        {
            if (i == 2)
            {
                c["jti"] = "jti-agent:alice";
                c["act"] = new JsonObject { ["sub"] = "agent:alice", ["act"] = c["act"]!["act"]!.DeepClone() };
                c[PassportClaimNames.AgentId] = "agent:alice";
            }
        });
        Add("cycle-a-b-a", "Alice → Bob → Alice again, reusing the root's jti.", E(PassportErrorKind.ChainBroken), cycle[2], cycle[..2], reason: ChainBrokenReason.DuplicateJti);
        Add("depth-over-policy-cap", "A two-hop chain under a policy capping depth at 1.", E(PassportErrorKind.ChainBroken), t[2], t[..2], P(("maxChainDepth", 1)), ChainBrokenReason.DepthExceeded);
        var evil = abc.Sign(Key, (i, c) =>
        {
            if (i == 0)
            {
                c["iss"] = "https://evil-issuer.test";
            }
        });
        Add("root-not-trusted", "The chain root names an untrusted issuer.", E(PassportErrorKind.UntrustedIssuer), evil[2], evil[..2], index: 0);
    }

    // ---------------------------------------------------------------- row 15

    private void Row15ScopeEscalation()
    {
        Category(15, "scope-escalation", "scope escalation");
        var super = ForgedChain.AliceBobCarol().Sign(Key, (i, c) =>
        {
            if (i == 2)
            {
                c[PassportClaimNames.ToolScope] = Arr("flights:book", "hotels:book");
            }
        });
        Add("child-superset", "Carol adds hotels:book to what Bob holds.", E(PassportErrorKind.ChainBroken), super[2], super[..2], reason: ChainBrokenReason.ScopeNotAttenuated);
        Add("wildcard-all", "tool_scope [\"*\"] under a no-wildcard policy.", E(PassportErrorKind.WildcardScopeNotAllowed), Sign(Root(["*"])));
        var tools = new ForgedChain([TokenForge.RootClaims(scopes: ["tools:read"])]);
        tools.Claims.Add(TokenForge.ChildClaims(tools.Claims[0], "agent:bob", ["tools:*"]));
        var tt = tools.Sign(Key);
        Add("pattern-under-concrete", "Bob holds tools:* under Alice's tools:read.", E(PassportErrorKind.ChainBroken), tt[1], tt[..1], reason: ChainBrokenReason.ScopeNotAttenuated);
        Add("bare-prefix", "tool_scope [\"flights\"] where flights:book is required.", E(PassportErrorKind.ScopeViolation), Sign(Root(["flights"])), policy: P(("requiredScope", "flights:book")));
        Add("case-variant", "tool_scope [\"Flights:book\"] where flights:book is required.", E(PassportErrorKind.ScopeViolation), Sign(Root(["Flights:book"])), policy: P(("requiredScope", "flights:book")));
        Add("confusable", "tool_scope with a Cyrillic 'і' in flіghts:book.", E(PassportErrorKind.MalformedClaims), Sign(Root(["fl\u0456ghts:book"])));
        Add("tab-separated", "Two scopes in one string separated by a tab.", E(PassportErrorKind.MalformedClaims), Sign(Root(["flights:search\tflights:book"])));
        Add("duplicates", "flights:book listed twice.", E(PassportErrorKind.MalformedClaims), Sign(Root(["flights:book", "flights:book"])));
        Add("empty-set", "tool_scope [] where flights:book is required.", E(PassportErrorKind.ScopeViolation), Sign(Root([])), policy: P(("requiredScope", "flights:book")));
        var str = Root();
        str[PassportClaimNames.ToolScope] = "flights:book";
        Add("string-not-array", "tool_scope as a string.", E(PassportErrorKind.MalformedClaims), Sign(str));
    }

    // ---------------------------------------------------------------- chain continuity in depth

    private void ChainContinuity()
    {
        Category(20, "chain-continuity", "chain continuity (spec §5.6)");
        var abc = ForgedChain.AliceBobCarol(rootMaxDepth: 3);
        var t = abc.Sign(Key);
        string[] Tamper(int at, Action<JsonObject> change) => abc.Sign(Key, (i, c) =>
        {
            if (i == at)
            {
                change(c);
            }
        });
        void Broken(string slug, string description, string[] tokens, ChainBrokenReason reason, int? index = null, JsonObject? policy = null, string? note = null) =>
            Add(slug, description, E(PassportErrorKind.ChainBroken), tokens[^1], tokens[..^1], policy, reason, index, note: note);

        Add("missing-chain", "Carol without her chain.", E(PassportErrorKind.ChainBroken), t[2], [], reason: ChainBrokenReason.MissingChain);
        Add("unexpected-chain", "Alice's root with a chain.", E(PassportErrorKind.ChainBroken), t[0], [Sign(TokenForge.RootClaims("agent:zed"))], reason: ChainBrokenReason.UnexpectedChain);
        Broken("parent-jti-mismatch", "Carol names another parent_jti.", Tamper(2, c => c[PassportClaimNames.ParentJti] = "jti-someone-else"), ChainBrokenReason.ParentJtiMismatch);
        Broken("parent-hash-mismatch", "Carol's parent_hash is of another token.", Tamper(2, c => c[PassportClaimNames.ParentHash] = PassportReader.ComputeParentHash("x.y.z")), ChainBrokenReason.ParentHashMismatch);
        var twin = SignatureTricks.WithSignature(t[1], SignatureTricks.HighSTwin(SignatureTricks.SignatureOf(t[1])));
        Add("high-s-twin-parent", "Bob replaced by his high-S twin (valid signature, other serialization).", E(PassportErrorKind.ChainBroken), t[2], [t[0], twin],
            reason: ChainBrokenReason.ParentHashMismatch, note: "parent_hash binds the exact serialization, so the malleable twin cannot stand in for the parent.");
        Broken("subject-mismatch", "Carol acts for another principal.", Tamper(2, c => c["sub"] = "user-mallory"), ChainBrokenReason.SubjectMismatch);
        Broken("actor-mismatch", "Carol's act rewrites Bob.", Tamper(2, c => c["act"] = new JsonObject
        {
            ["sub"] = "agent:carol",
            ["act"] = new JsonObject { ["sub"] = "agent:mallory", ["act"] = new JsonObject { ["sub"] = "agent:alice" } },
        }), ChainBrokenReason.ActorMismatch);
        Broken("expiry-exceeds-parent", "Carol outlives Bob.", Tamper(2, c => c["exp"] = TokenForge.Unix(Now.AddMinutes(6))), ChainBrokenReason.ExpiryExceedsParent);
        Broken("scope-not-attenuated", "Carol holds hotels:book.", Tamper(2, c => c[PassportClaimNames.ToolScope] = Arr("hotels:book")), ChainBrokenReason.ScopeNotAttenuated);
        Broken("level-appeared", "Bob has no IAL; Carol claims IAL 2.", Tamper(1, c => c.Remove("ial")), ChainBrokenReason.LevelAppeared);
        Broken("level-raised", "Carol raises AAL to 3.", Tamper(2, c => c["aal"] = 3), ChainBrokenReason.LevelRaised);
        Broken("max-depth-not-decreasing", "Carol keeps Bob's max_depth 2.", Tamper(2, c => c[PassportClaimNames.MaxDepth] = 2), ChainBrokenReason.MaxDepthNotDecreasing);
        Broken("max-depth-dropped", "Carol drops max_depth.", Tamper(2, c => c.Remove(PassportClaimNames.MaxDepth)), ChainBrokenReason.MaxDepthNotDecreasing);
        var zero = ForgedChain.AliceBobCarol(rootMaxDepth: 1).Sign(Key, (i, c) =>
        {
            if (i == 2)
            {
                c.Remove(PassportClaimNames.MaxDepth);
            }
        });
        Broken("depth-exceeded-max-depth-zero", "Bob has max_depth 0 and still delegates to Carol.", zero, ChainBrokenReason.DepthExceeded);
        Broken("depth-exceeded-policy", "Two hops under a policy cap of 1.", t, ChainBrokenReason.DepthExceeded, policy: P(("maxChainDepth", 1)));
        Broken("duplicate-jti", "Carol reuses Alice's jti.", Tamper(2, c => c["jti"] = "jti-agent:alice"), ChainBrokenReason.DuplicateJti);
        Broken("root-has-parent", "Alice carries parent claims.", Tamper(0, c =>
        {
            c[PassportClaimNames.ParentJti] = "jti-ghost";
            c[PassportClaimNames.ParentHash] = PassportReader.ComputeParentHash("ghost.token.x");
        }), ChainBrokenReason.RootHasParent, 0);
        Broken("parent-claims-incomplete", "Bob has two actors but no link claims.", Tamper(1, c =>
        {
            c.Remove(PassportClaimNames.ParentJti);
            c.Remove(PassportClaimNames.ParentHash);
        }), ChainBrokenReason.ParentClaimsIncomplete, 1);
        var half = Tamper(2, c => c.Remove(PassportClaimNames.ParentHash));
        Add("half-link-claims", "Carol has parent_jti but no parent_hash.", E(PassportErrorKind.MalformedClaims), half[2], half[..2],
            note: "The claim schema requires parent_jti and parent_hash together, so this is MalformedClaims before any chain rule.");
        var expired = ForgedChain.AliceBobCarol().Sign(Key, (i, c) =>
        {
            if (i == 0)
            {
                c["iat"] = TokenForge.Unix(Now.AddHours(-1));
                c["nbf"] = TokenForge.Unix(Now.AddHours(-1));
                c["exp"] = TokenForge.Unix(Now.AddMinutes(-5));
            }
        });
        Add("expired-root", "Alice's root expired 5 minutes ago; Bob and Carol are still live.", E(PassportErrorKind.Expired), expired[2], expired[..2], index: 0);
        byte[] flipped = SignatureTricks.SignatureOf(t[1]);
        flipped[10] ^= 0x01;
        var badBob = SignatureTricks.WithSignature(t[1], flipped);
        var relinked = abc.Sign(Key, (i, c) =>
        {
            if (i == 2)
            {
                TokenForge.Link(c, badBob);
            }
        });
        Add("parent-bad-signature", "Bob's signature does not verify (Carol is correctly linked to that Bob).", E(PassportErrorKind.InvalidSignature), relinked[2], [t[0], badBob], index: 1);
        var wild = new ForgedChain([TokenForge.RootClaims(scopes: ["*"])]);
        wild.Claims.Add(TokenForge.ChildClaims(wild.Claims[0], "agent:bob", ["flights:book"]));
        var w = wild.Sign(Key);
        Add("wildcard-root-concrete-leaf", "Alice holds '*', Bob flights:book; no-wildcard policy.", Valid, w[1], w[..1],
            note: "The wildcard ban is a leaf check (spec §5 step 5); a parent holding '*' may delegate a concrete scope.");

        // Spec v1.1 §10: per-issuer keys, one issuer per chain, acr never drifts.
        var bothIssuers = new JsonObject { ["issuers"] = new JsonArray(Issuer, OtherIssuer) };
        Add("kid-of-another-trusted-issuer", "iss is the corpus issuer but the kid and signature are the other trusted issuer's key.", E(PassportErrorKind.KeyNotFound),
            TokenForge.Sign(Root(), _keys.Attacker), policy: bothIssuers, signedWith: "untrusted",
            note: "Spec v1.1 §10: a kid is looked up only in the key set of the token's own iss.");
        var otherLeaf = abc.Sign(Key, (i, c) =>
        {
            if (i == 2)
            {
                c["iss"] = OtherIssuer;
            }
        }, i => i == 2 ? _keys.Attacker : Key);
        Add("issuer-changed", "Carol is signed by the other trusted issuer under the corpus issuer's Alice and Bob.", E(PassportErrorKind.ChainBroken), otherLeaf[2], otherLeaf[..2],
            bothIssuers, ChainBrokenReason.IssuerChanged, 1, signedWith: "untrusted", note: "Every link keeps the leaf's iss; the index names the link whose issuer differs.");
        Broken("acr-changed", "Carol claims ial/3 as her acr under Bob's ial/2.", Tamper(2, c => c["acr"] = "http://idmanagement.gov/ns/assurance/ial/3"), ChainBrokenReason.AcrChanged);
    }
}
