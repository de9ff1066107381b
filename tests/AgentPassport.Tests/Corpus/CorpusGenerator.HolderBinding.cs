using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using AgentPassport.Tests.Support;

namespace AgentPassport.Tests.Corpus;

/// <summary>
/// Corpus category 22 (spec v1.1 §11): holder binding. A leaf bound to Carol's holder key (<c>cnf.jkt</c>), alone or
/// at the end of a bound Alice → Bob → Carol chain, presented with a proof of possession (or none) for a call; each
/// hostile proof of issue 16's "bad input" list breaks one rule and names it (<c>expected.proofReason</c>).
/// </summary>
internal sealed partial class CorpusGenerator
{
    private const string BookOperation = "flights:book";
    private const string BookUrl = "https://flights-mcp.example.com/api/book";
    private int _proofNumber;

    private void HolderBinding()
    {
        Category(22, "holder-binding", "holder binding (proof of possession)");
        _proofNumber = 0;
        var carol = _keys.Holders.Carol;
        string leaf = Sign(Bound(TokenForge.RootClaims("agent:carol", [BookOperation]), carol));
        string[] chain = BoundChain();
        string unbound = Sign(TokenForge.RootClaims("agent:carol", [BookOperation]));
        var args = JsonNode.Parse("""{"to":"JFK","amount":500,"passengers":[{"name":"Ada","seat":"12A"}]}""")!.AsObject();
        var otherArgs = JsonNode.Parse("""{"to":"JFK","amount":500000,"passengers":[{"name":"Ada","seat":"12A"}]}""")!.AsObject();
        long now = Now.ToUnixTimeSeconds();
        string invalid = E(PassportErrorKind.InvalidProof);

        // A proof by Carol over the single bound leaf, changed by `change` (header, payload) before it is signed.
        string Proof(Action<JsonObject, JsonObject>? change = null, PassportHolderKey? key = null, string? token = null)
        {
            var (header, payload) = ProofParts(key ?? carol, token ?? leaf);
            change?.Invoke(header, payload);
            return SignProof(key ?? carol, Json(header), Json(payload));
        }

        // Carol's valid proof over the single bound leaf with its header and payload JSON text edited, then signed.
        string RawProof(Func<string, string>? header, Func<string, string>? payload)
        {
            var (h, p) = ProofParts(carol, leaf);
            string headerJson = Json(h), payloadJson = Json(p);
            return SignProof(carol, header?.Invoke(headerJson) ?? headerJson, payload?.Invoke(payloadJson) ?? payloadJson);
        }

        void Case(string slug, string description, string expected, CorpusProof proof, string? token = null, IReadOnlyList<string>? parents = null, JsonObject? policy = null, string? note = null) =>
            Add(slug, description, expected, token ?? leaf, parents, policy, note: note, proof: proof);

        // ---- valid
        Case("valid-op", "A bound leaf and a proof by its holder key for the call's operation.", Valid, Call(Proof(), "carol"));
        Case("valid-args", "The proof binds the call's arguments (args = SHA-256 of their RFC 8785 canonical JSON).", Valid,
            Call(Proof((_, p) => p["args"] = ArgumentsHash(args)), "carol", arguments: args));
        Case("valid-args-required", "The policy requires argument binding; the proof binds the call's arguments.", Valid,
            Call(Proof((_, p) => p["args"] = ArgumentsHash(args)), "carol", arguments: args), policy: P(("requireArgumentBinding", true)));
        Case("valid-http", "An HTTP proof (htm + htu); the request URL's query is not part of htu.", Valid,
            Call(Proof((_, p) => Http(p, "POST", BookUrl)), "carol", op: null, htm: "POST", htu: BookUrl + "?id=7"));
        Case("valid-typ-application", "typ application/agent-passport-proof+jwt (RFC 7515 §4.1.9 prefix).", Valid,
            Call(Proof((h, _) => h["typ"] = "application/" + PassportProof.TokenType), "carol"));
        Case("valid-iat-window-past-edge", "iat exactly one proof window (60 s) before now.", Valid, Call(Proof((_, p) => p["iat"] = now - 60), "carol"));
        Case("valid-iat-window-future-edge", "iat exactly one proof window (60 s) after now.", Valid, Call(Proof((_, p) => p["iat"] = now + 60), "carol"));
        Case("valid-iat-window-300", "A 300 s proof window (the maximum) and iat 300 s ago.", Valid,
            Call(Proof((_, p) => p["iat"] = now - 300), "carol"), policy: P(("proofWindowSeconds", 300)));
        Case("valid-bound-chain", "Alice → Bob → Carol, each bound to its own key; Carol's proof over Carol's token.", Valid,
            Call(Proof(token: chain[2]), "carol"), chain[2], chain[..2]);
        Case("valid-unbound-no-proof", "An unbound (v1) leaf and no proof, under the default policy.", Valid, Call(null, "none"), unbound,
            note: "Only a bound leaf, or a policy with requireHolderBinding, needs a proof.");

        // ---- no proof, or a proof by the wrong holder
        Case("bound-leaf-no-proof", "A bound leaf presented without a proof (the policy does not require binding).", E(PassportErrorKind.ProofRequired),
            Call(null, "none"), note: "A bound leaf always needs a proof: binding is never ignored.");
        Case("bound-chain-no-proof", "The bound chain's leaf presented without a proof.", E(PassportErrorKind.ProofRequired), Call(null, "none"), chain[2], chain[..2]);
        Case("unbound-leaf-binding-required", "An unbound leaf (with a proof by Carol's key) under a policy with requireHolderBinding.", E(PassportErrorKind.HolderMismatch),
            Call(Proof(token: unbound), "carol"), unbound, policy: P(("requireHolderBinding", true)));
        Case("other-holder", "A well-formed proof over the leaf signed by a thief's key (its own jwk).", E(PassportErrorKind.HolderMismatch),
            Call(Proof(key: _keys.Holders.Thief), "thief"));
        Case("parent-holder", "Bob's proof (Bob's key, over Bob's token) presented with Carol's leaf.", E(PassportErrorKind.HolderMismatch),
            Call(Proof(key: _keys.Holders.Bob, token: chain[1]), "bob"), chain[2], chain[..2]);
        Case("parent-as-leaf-thief-proof", "Bob's token lifted from Carol's chain and presented as the leaf (with Alice's), proved by a thief's key.",
            E(PassportErrorKind.HolderMismatch), Call(Proof(key: _keys.Holders.Thief, token: chain[1]), "thief"), chain[1], chain[..1]);
        Case("parent-as-leaf-leaf-proof", "Bob's token presented as the leaf with Carol's valid proof (over Carol's token).", E(PassportErrorKind.HolderMismatch),
            Call(Proof(token: chain[2]), "carol"), chain[1], chain[..1]);

        // ---- the key in the header
        Case("jwk-private-jwk", "The header's jwk is Carol's whole private JWK.", invalid,
            Call(Proof((h, _) => h["jwk"] = JsonNode.Parse(carol.ToPrivateJwkJson())), "carol", reason: ProofFailureReason.Key));
        Case("jwk-member-d", "The jwk carries a private member d.", invalid, Call(Proof((h, _) => h["jwk"]!["d"] = "AAAA"), "carol", reason: ProofFailureReason.Key));
        Case("jwk-member-k", "The jwk carries a symmetric member k.", invalid, Call(Proof((h, _) => h["jwk"]!["k"] = "AAAA"), "carol", reason: ProofFailureReason.Key));
        Case("jwk-oct", "The jwk is a symmetric key type (kty oct).", invalid, Call(Proof((h, _) => h["jwk"] = new JsonObject { ["kty"] = "oct" }), "carol", reason: ProofFailureReason.Key));
        Case("jwk-rsa-1024", "RS256 is allowed for proofs; the jwk is a 1024-bit RSA key (2048 is the minimum) that signed the proof.", invalid,
            Call(Rsa1024Proof(leaf), "rsa-1024", reason: ProofFailureReason.Key), policy: P(("allowedProofAlgorithms", Arr(PassportAlgorithms.ES256, PassportAlgorithms.RS256))));
        Case("jwk-p384", "The jwk names curve P-384 (with P-256 coordinates).", invalid, Call(Proof((h, _) => h["jwk"]!["crv"] = "P-384"), "carol", reason: ProofFailureReason.Key));
        Case("jwk-missing", "The header has no jwk.", invalid, Call(Proof((h, _) => h.Remove("jwk")), "carol", reason: ProofFailureReason.Key));

        // ---- header members, typ, alg
        (string Member, JsonNode Value)[] forbidden =
        [
            ("kid", JsonValue.Create(carol.Thumbprint)),
            ("jku", JsonValue.Create("https://attacker.example/jwks.json")),
            ("x5c", new JsonArray("MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA")),
            ("x5u", JsonValue.Create("https://attacker.example/cert.pem")),
            ("crit", new JsonArray("exp")),
        ];
        foreach (var (member, value) in forbidden)
        {
            Case("header-" + member, $"The header carries {member}.", invalid, Call(Proof((h, _) => h[member] = value.DeepClone()), "carol", reason: ProofFailureReason.ForbiddenHeader));
        }

        Case("typ-passport", "typ agent-passport+jwt (a Passport's, not a proof's).", invalid, Call(Proof((h, _) => h["typ"] = PassportClaimNames.TokenType), "carol", reason: ProofFailureReason.Type));
        Case("typ-dpop", "typ dpop+jwt.", invalid, Call(Proof((h, _) => h["typ"] = "dpop+jwt"), "carol", reason: ProofFailureReason.Type));
        Case("typ-missing", "No typ.", invalid, Call(Proof((h, _) => h.Remove("typ")), "carol", reason: ProofFailureReason.Type));
        var (noneHeader, nonePayload) = ProofParts(carol, leaf);
        noneHeader["alg"] = "none";
        Case("alg-none", "alg none with a one-byte signature.", invalid,
            Call(TokenForge.B64(Json(noneHeader)) + "." + TokenForge.B64(Json(nonePayload)) + ".AA", "none", reason: ProofFailureReason.Algorithm));
        Case("alg-hs256", "alg HS256, HMAC-keyed with the public jwk's JSON text (algorithm confusion).", invalid,
            Call(HmacProof(leaf), "hmac-public-jwk", reason: ProofFailureReason.Algorithm));
        Case("alg-es384", "alg ES384 (not in the proof allow-list).", invalid, Call(Proof((h, _) => h["alg"] = "ES384"), "carol", reason: ProofFailureReason.Algorithm));

        // ---- shape and encoding
        Case("duplicate-header-typ", "typ twice in the header.", invalid,
            Call(RawProof(h => h[..^1] + ",\"typ\":\"" + PassportProof.TokenType + "\"}", null), "carol", reason: ProofFailureReason.Malformed));
        Case("duplicate-jwk-kty", "kty twice inside the jwk.", invalid,
            Call(RawProof(h => h.Replace("\"kty\":\"EC\"", "\"kty\":\"EC\",\"kty\":\"EC\"", StringComparison.Ordinal), null), "carol", reason: ProofFailureReason.Malformed));
        Case("duplicate-payload-op", "op twice in the payload (the second another tool's).", invalid,
            Call(RawProof(null, p => p[..^1] + ",\"op\":\"flights:cancel\"}"), "carol", reason: ProofFailureReason.Malformed));
        string good = Proof();
        int dot = good.IndexOf('.', StringComparison.Ordinal);
        Case("base64-padding", "The header segment ends in '=' padding.", invalid, Call(good.Insert(dot, "="), "modified", reason: ProofFailureReason.Malformed));
        Case("base64-standard-alphabet", "A '+' (standard base64) in the header segment.", invalid, Call(good.Insert(dot, "+"), "modified", reason: ProofFailureReason.Malformed));
        Case("base64-trailing-bits", "The signature's last character has a non-zero unused bit (same bytes to a lenient decoder).", invalid,
            Call(SetTrailingBit(Proof()), "modified", reason: ProofFailureReason.Malformed));
        Case("empty-signature", "An empty signature segment.", invalid, Call(good[..(good.LastIndexOf('.') + 1)], "none", reason: ProofFailureReason.Malformed));
        Case("over-8kib", "A proof of over 8 KiB (a padded payload).", invalid,
            Call(Proof((_, p) => p["pad"] = new string('a', PassportProof.MaxProofBytes)), "carol", reason: ProofFailureReason.Malformed));

        // ---- claims against the call
        Case("ath-of-parent", "Carol's proof whose ath is the hash of Bob's (the parent's) token.", invalid,
            Call(Proof((_, p) => p["ath"] = PassportProof.HashToken(chain[1]), token: chain[2]), "carol", reason: ProofFailureReason.TokenHash), chain[2], chain[..2]);
        Case("ath-missing", "No ath.", invalid, Call(Proof((_, p) => p.Remove("ath")), "carol", reason: ProofFailureReason.TokenHash));
        Case("op-other", "op flights:cancel for a flights:book call.", invalid, Call(Proof((_, p) => p["op"] = "flights:cancel"), "carol", reason: ProofFailureReason.Operation));
        Case("op-missing", "No op (and no htm/htu) for an operation call.", invalid, Call(Proof((_, p) => p.Remove("op")), "carol", reason: ProofFailureReason.Operation));
        Case("aud-other", "aud of another service.", invalid, Call(Proof((_, p) => p["aud"] = "https://hotels-mcp.example.com/"), "carol", reason: ProofFailureReason.Audience));
        Case("aud-no-slash", "aud without the audience's trailing slash (exact comparison).", invalid,
            Call(Proof((_, p) => p["aud"] = "https://flights-mcp.example.com"), "carol", reason: ProofFailureReason.Audience));
        Case("htm-other", "htm GET for a POST request.", invalid,
            Call(Proof((_, p) => Http(p, "GET", BookUrl)), "carol", op: null, htm: "POST", htu: BookUrl, reason: ProofFailureReason.HttpRequest));
        Case("htm-lowercase", "htm post for a POST request (case-sensitive).", invalid,
            Call(Proof((_, p) => Http(p, "post", BookUrl)), "carol", op: null, htm: "POST", htu: BookUrl, reason: ProofFailureReason.HttpRequest));
        Case("htu-other", "htu of another path.", invalid,
            Call(Proof((_, p) => Http(p, "POST", "https://flights-mcp.example.com/api/cancel")), "carol", op: null, htm: "POST", htu: BookUrl, reason: ProofFailureReason.HttpRequest));
        Case("htu-with-query", "htu carrying a query (htu has none).", invalid,
            Call(Proof((_, p) => Http(p, "POST", BookUrl + "?id=7")), "carol", op: null, htm: "POST", htu: BookUrl + "?id=7", reason: ProofFailureReason.HttpRequest));
        Case("op-proof-for-http", "An operation proof (op) for an HTTP request.", invalid,
            Call(Proof(), "carol", op: null, htm: "POST", htu: BookUrl, reason: ProofFailureReason.HttpRequest));
        Case("args-other", "args of {amount: 500} for a call with amount 500000.", invalid,
            Call(Proof((_, p) => p["args"] = ArgumentsHash(args)), "carol", arguments: otherArgs, reason: ProofFailureReason.Arguments));
        Case("args-missing-required", "The policy requires argument binding; the proof has no args.", invalid,
            Call(Proof(), "carol", arguments: args, reason: ProofFailureReason.Arguments), policy: P(("requireArgumentBinding", true)));
        Case("args-call-unknown", "The proof binds args but the verifier does not know the call's arguments.", invalid,
            Call(Proof((_, p) => p["args"] = ArgumentsHash(args)), "carol", reason: ProofFailureReason.Arguments),
            note: "An args hash that cannot be checked is refused, never ignored.");
        Case("args-not-string", "args is a number.", invalid,
            Call(Proof((_, p) => p["args"] = 5), "carol", arguments: args, reason: ProofFailureReason.Arguments));
        Case("iat-past", "iat 61 s before now (window 60 s).", invalid, Call(Proof((_, p) => p["iat"] = now - 61), "carol", reason: ProofFailureReason.IssuedAt));
        Case("iat-future", "iat 61 s after now (window 60 s).", invalid, Call(Proof((_, p) => p["iat"] = now + 61), "carol", reason: ProofFailureReason.IssuedAt));
        Case("iat-string", "iat is a string.", invalid, Call(Proof((_, p) => p["iat"] = now.ToString(System.Globalization.CultureInfo.InvariantCulture)), "carol", reason: ProofFailureReason.Claims));
        Case("iat-fraction", "iat is not an integer.", invalid, Call(Proof((_, p) => p["iat"] = now + 0.5), "carol", reason: ProofFailureReason.Claims));
        Case("jti-short", "A jti of 15 characters (fewer than 96 bits).", invalid, Call(Proof((_, p) => p["jti"] = "abcdefghijklmno"), "carol", reason: ProofFailureReason.TokenId));
        Case("signature-by-thief", "The jwk is Carol's, the signature a thief's.", invalid,
            Call(SignedByThief(), "thief", reason: ProofFailureReason.Signature));
        Case("signature-payload-changed", "The payload was changed after signing (another jti).", invalid,
            Call(ReplacePayload(Proof(), p => p["jti"] = "a-different-jti-0001"), "modified", reason: ProofFailureReason.Signature));

        string SignedByThief()
        {
            var (h, p) = ProofParts(carol, leaf);
            return SignProof(_keys.Holders.Thief, Json(h), Json(p));
        }

        // ---- a malformed cnf in the leaf (refused by the Passport verifier before any proof is read)
        var cnfJwk = Root([BookOperation]);
        cnfJwk[PassportClaimNames.Confirmation] = new JsonObject { ["jwk"] = JsonNode.Parse(carol.PublicJwkJson) };
        Case("cnf-jwk-not-jkt", "The leaf's cnf carries a jwk instead of jkt.", E(PassportErrorKind.MalformedClaims), Call(Proof(), "carol"), Sign(cnfJwk));
        var cnfShort = Root([BookOperation]);
        cnfShort[PassportClaimNames.Confirmation] = new JsonObject { ["jkt"] = carol.Thumbprint[..42] };
        Case("cnf-jkt-short", "The leaf's cnf.jkt has 42 characters.", E(PassportErrorKind.MalformedClaims), Call(Proof(), "carol"), Sign(cnfShort));
    }

    private static CorpusProof Call(string? proof, string signedWith, string? op = BookOperation, JsonObject? arguments = null, string? htm = null, string? htu = null,
        ProofFailureReason reason = ProofFailureReason.None) =>
        new(proof, Audience, op, htm, htu, arguments, signedWith, reason == ProofFailureReason.None ? null : reason.ToString());

    private static JsonObject Bound(JsonObject claims, PassportHolderKey key)
    {
        claims[PassportClaimNames.Confirmation] = new JsonObject { [PassportClaimNames.ConfirmationThumbprint] = key.Thumbprint };
        return claims;
    }

    /// <summary>Alice → Bob → Carol, each token bound to its agent's holder key.</summary>
    private string[] BoundChain()
    {
        PassportHolderKey[] holders = [_keys.Holders.Alice, _keys.Holders.Bob, _keys.Holders.Carol];
        return ForgedChain.AliceBobCarol().Sign(Key, (i, claims) => Bound(claims, holders[i]));
    }

    /// <summary>A valid proof's header and payload (fixed jti per proof, iat = the corpus clock).</summary>
    private (JsonObject Header, JsonObject Payload) ProofParts(PassportHolderKey key, string token) =>
        (new JsonObject
        {
            ["typ"] = PassportProof.TokenType,
            ["alg"] = key.Algorithm,
            ["jwk"] = JsonNode.Parse(key.PublicJwkJson),
        },
        new JsonObject
        {
            ["jti"] = $"corpus-proof-{++_proofNumber:D4}-jti",
            ["iat"] = Now.ToUnixTimeSeconds(),
            ["aud"] = Audience,
            ["ath"] = PassportProof.HashToken(token),
            ["op"] = BookOperation,
        });

    private static string SignProof(PassportHolderKey key, string headerJson, string payloadJson)
    {
        string input = TokenForge.B64(headerJson) + "." + TokenForge.B64(payloadJson);
        return input + "." + TokenForge.B64(key.Sign(Encoding.ASCII.GetBytes(input)));
    }

    private static void Http(JsonObject payload, string method, string url)
    {
        payload.Remove("op");
        payload["htm"] = method;
        payload["htu"] = url;
    }

    private static string ArgumentsHash(JsonObject arguments)
    {
        using var document = JsonDocument.Parse(arguments.ToJsonString());
        return PassportProof.HashArguments(PassportToolArguments.FromJsonObject(document.RootElement))!;
    }

    private string Rsa1024Proof(string token)
    {
        using var rsa = RSA.Create(1024);
        var p = rsa.ExportParameters(false);
        var (header, payload) = ProofParts(_keys.Holders.Carol, token);
        header["alg"] = PassportAlgorithms.RS256;
        header["jwk"] = new JsonObject { ["kty"] = "RSA", ["e"] = TokenForge.B64(p.Exponent), ["n"] = TokenForge.B64(p.Modulus) };
        string input = TokenForge.B64(Json(header)) + "." + TokenForge.B64(Json(payload));
        return input + "." + TokenForge.B64(rsa.SignData(Encoding.ASCII.GetBytes(input), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));
    }

    private string HmacProof(string token)
    {
        var carol = _keys.Holders.Carol;
        var (header, payload) = ProofParts(carol, token);
        header["alg"] = "HS256";
        string input = TokenForge.B64(Json(header)) + "." + TokenForge.B64(Json(payload));
        return input + "." + TokenForge.B64(HMACSHA256.HashData(Encoding.UTF8.GetBytes(carol.PublicJwkJson), Encoding.ASCII.GetBytes(input)));
    }

    private static string SetTrailingBit(string proof)
    {
        // A 64-byte ES256 signature is 86 characters; the last carries 2 unused bits, zero when canonical.
        const string Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        int index = Alphabet.IndexOf(proof[^1], StringComparison.Ordinal);
        return proof[..^1] + Alphabet[index | 1];
    }

    private static string ReplacePayload(string proof, Action<JsonObject> change)
    {
        string[] parts = proof.Split('.');
        var payload = (JsonObject)JsonNode.Parse(TokenForge.Unb64(parts[1]))!;
        change(payload);
        return parts[0] + "." + TokenForge.B64(Json(payload)) + "." + parts[2];
    }
}
