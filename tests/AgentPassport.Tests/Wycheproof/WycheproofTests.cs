using System.Text;
using System.Text.Json.Nodes;
using AgentPassport.Jose;
using AgentPassport.Tests.Support;
using Xunit.Abstractions;

namespace AgentPassport.Tests.Wycheproof;

/// <summary>
/// Project Wycheproof vectors (vendored under tests/vectors/wycheproof/, see its README) through the verifier's own code:
/// ES256 (P1363) and RS256 through <see cref="PassportVerificationKey"/>.Verify (the signature path the verifier uses),
/// and the JWS file through the verifier's JWS layer (<see cref="ParsedPassportToken.Split"/>, the strict header reader,
/// alg pinned to the key, then Verify).
/// </summary>
public sealed class WycheproofTests(ITestOutputHelper output)
{
    [Fact]
    public void Es256P1363_EveryCaseAgreesWithItsResult()
    {
        var (total, disagreements) = RunSignatureFile("ecdsa_secp256r1_sha256_p1363_test.json", "publicKeyJwk", PassportAlgorithms.ES256);

        Assert.Equal(262, total);
        Assert.Empty(disagreements);
    }

    [Fact]
    public void Rs256_EveryCaseAgreesWithItsResult()
    {
        var (total, disagreements) = RunSignatureFile("rsa_signature_2048_sha256_test.json", "keyJwk", PassportAlgorithms.RS256);

        Assert.Equal(259, total);
        Assert.Empty(disagreements);
    }

    [Fact]
    public void JsonWebSignature_NoInvalidCaseIsAcceptedAtTheJwsLayer()
    {
        var root = Load("json_web_signature_test.json");
        int total = 0, validAccepted = 0, invalidRejected = 0;
        var invalidAccepted = new List<string>();
        var validRejected = new List<string>();
        foreach (var group in root["testGroups"]!.AsArray())
        {
            var key = ImportAsJwks(group!["public"] ?? group["private"]);
            foreach (var test in group["tests"]!.AsArray())
            {
                total++;
                string id = $"tc{test!["tcId"]} {group["comment"]} {test["comment"]}";
                bool accepted = test["jws"] is JsonValue v && key is not null && JwsLayerAccepts(v.GetValue<string>(), key);
                string result = test["result"]!.GetValue<string>();
                if (result == "valid")
                {
                    if (accepted)
                    {
                        validAccepted++;
                    }
                    else
                    {
                        validRejected.Add($"{id} (key alg {key?.Algorithm ?? "unsupported"})");
                    }
                }
                else if (accepted)
                {
                    invalidAccepted.Add(id);
                }
                else
                {
                    invalidRejected++;
                }
            }
        }

        output.WriteLine($"{total} cases: {invalidRejected} invalid rejected, {invalidAccepted.Count} invalid accepted, {validAccepted} valid accepted, {validRejected.Count} valid rejected");
        foreach (var r in validRejected)
        {
            output.WriteLine("valid but refused (algorithm or key not supported by Passport, or not canonical): " + r);
        }

        Assert.Equal(401, total);
        Assert.Empty(invalidAccepted);

        // The ES256/RS256/PS256 cases the library supports are accepted when valid (not everything is just refused).
        Assert.True(validAccepted >= 10, $"only {validAccepted} valid cases accepted");
    }

    private (int Total, List<string> Disagreements) RunSignatureFile(string file, string jwkMember, string algorithm)
    {
        var root = Load(file);
        int total = 0, valid = 0, invalid = 0, acceptable = 0;
        var disagreements = new List<string>();
        foreach (var group in root["testGroups"]!.AsArray())
        {
            var jwk = (JsonObject?)group![jwkMember]?.DeepClone() ?? EcJwkFromPoint(group["publicKey"]!);
            jwk.Remove("kid");
            var key = PassportVerificationKey.FromJwk(jwk.ToJsonString(), algorithm);
            foreach (var test in group["tests"]!.AsArray())
            {
                total++;
                byte[] msg = Convert.FromHexString(test!["msg"]!.GetValue<string>());
                byte[] sig = Convert.FromHexString(test["sig"]!.GetValue<string>());
                bool accepted = key.Verify(msg, sig);
                switch (test["result"]!.GetValue<string>())
                {
                    case "valid":
                        valid++;
                        if (!accepted)
                        {
                            disagreements.Add($"tc{test["tcId"]} valid but rejected: {test["comment"]}");
                        }

                        break;
                    case "invalid":
                        invalid++;
                        if (accepted)
                        {
                            disagreements.Add($"tc{test["tcId"]} invalid but accepted: {test["comment"]}");
                        }

                        break;
                    default:
                        acceptable++;
                        break;
                }
            }
        }

        output.WriteLine($"{file}: {total} cases ({valid} valid, {invalid} invalid, {acceptable} acceptable), {disagreements.Count} disagreements");
        return (total, disagreements);
    }

    /// <summary>The verifier's JWS layer: strict split and canonical base64url, strict header, no forbidden members, alg pinned to the key, signature.</summary>
    private static bool JwsLayerAccepts(string jws, PassportVerificationKey key)
    {
        if (!ParsedPassportToken.Split(jws, PassportLimits.MaxTokenBytes, out int secondDot, out var headerBytes, out _, out var signature, out _))
        {
            return false;
        }

        var header = PassportHeader.Read(headerBytes, out _, out _);
        if (header is not { } h || h.Forbidden is not null || h.Algorithm != key.Algorithm)
        {
            return false;
        }

        return key.Verify(Encoding.ASCII.GetBytes(jws, 0, secondDot), signature);
    }

    /// <summary>Imports a vector's JWK the way a verifier imports a JWKS (use/alg filtering); null when Passport cannot use it.</summary>
    private static PassportVerificationKey? ImportAsJwks(JsonNode? jwk)
    {
        if (jwk is null)
        {
            return null;
        }

        // The vectors' kids are names, not RFC 7638 thumbprints, which Jwks.Import would (rightly) skip.
        var copy = (JsonObject)jwk.DeepClone();
        copy.Remove("kid");
        var keys = Jwks.Import(new JsonObject { ["keys"] = new JsonArray(copy) }.ToJsonString());
        return keys.Count == 1 ? keys[0] : null;
    }

    /// <summary>Some P1363 groups carry only the point (hex wx, wy with a sign byte); builds the P-256 JWK from it.</summary>
    private static JsonObject EcJwkFromPoint(JsonNode publicKey)
    {
        static string Coordinate(string hex)
        {
            byte[] bytes = Convert.FromHexString(hex.Length % 2 == 1 ? "0" + hex : hex);
            byte[] fixedLength = new byte[32];
            var significant = bytes.AsSpan(Math.Max(0, bytes.Length - 32));
            significant.CopyTo(fixedLength.AsSpan(32 - significant.Length));
            return TokenForge.B64(fixedLength);
        }

        return new JsonObject
        {
            ["kty"] = "EC",
            ["crv"] = "P-256",
            ["x"] = Coordinate(publicKey["wx"]!.GetValue<string>()),
            ["y"] = Coordinate(publicKey["wy"]!.GetValue<string>()),
        };
    }

    private static JsonObject Load(string file)
    {
        string path = RepoPaths.Wycheproof(file);
        Assert.True(File.Exists(path), $"Wycheproof vectors not found at {path}");
        return JsonNode.Parse(File.ReadAllText(path))!.AsObject();
    }
}
