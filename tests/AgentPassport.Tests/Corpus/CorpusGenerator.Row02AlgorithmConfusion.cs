using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using AgentPassport.Tests.Support;

namespace AgentPassport.Tests.Corpus;

/// <summary>Corpus category: security-perf-notes row 2, algorithm confusion.</summary>
internal sealed partial class CorpusGenerator
{
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
}
