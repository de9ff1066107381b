using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using AgentPassport.Internal;
using AgentPassport.Tests.Support;
using Microsoft.Extensions.Time.Testing;

namespace AgentPassport.Tests.Corpus;

/// <summary>
/// Runs the committed conformance corpus (Corpus/manifest.json) through the verifier: each case's typed outcome must
/// be exactly the expected one (with the proof failure reason for holder-binding cases, checked by the real
/// <see cref="PassportProofVerifier"/>), and no invalid case may be accepted. Case ids start with the category (rNN = row NN of
/// "Recommended lists (a)", c = chain continuity, b = baseline, k = argument constraints, h = holder binding), so every category shows by name in the test output.
/// </summary>
public sealed class CorpusTests
{
    private const string RegenerateVariable = "AGENT_PASSPORT_REGENERATE_CORPUS";

    /// <summary>The hostile-input rows of "Recommended lists (a)" 1–15 and their case counts.</summary>
    private static readonly int[] RowCounts = [0, 6, 8, 6, 4, 5, 7, 14, 7, 9, 11, 14, 4, 3, 12, 10];

    private static readonly Lazy<CorpusManifest> Manifest = new(() =>
    {
        // Regeneration happens before the first read so every test of the run sees the new files.
        if (Environment.GetEnvironmentVariable(RegenerateVariable) == "1")
        {
            using var keys = CorpusKeys.Load(RepoPaths.Corpus, createMissing: true);
            CorpusManifest.Write(RepoPaths.Corpus, new CorpusGenerator(keys).Generate(), keys);
        }

        return CorpusManifest.Load(RepoPaths.Corpus);
    });

    public static TheoryData<string> CaseIds
    {
        get
        {
            var data = new TheoryData<string>();
            foreach (var c in Manifest.Value.Cases)
            {
                data.Add(c["id"]!.GetValue<string>());
            }

            return data;
        }
    }

    [Theory]
    [MemberData(nameof(CaseIds))]
    public async Task Case(string id)
    {
        var manifest = Manifest.Value;
        var c = manifest.Case(id);
        var expected = c["expected"]!.AsObject();
        string result = expected["result"]!.GetValue<string>();

        var outcome = await RunAsync(manifest, c);

        Assert.Equal(result, outcome.Result);
        Assert.Equal(expected["chainReason"]?.GetValue<string>(), outcome.ChainReason);
        Assert.Equal(expected["proofReason"]?.GetValue<string>(), outcome.ProofReason);
        if (result != "valid" && result != "InvalidPolicy")
        {
            Assert.Equal(expected["chainIndex"]?.GetValue<int>(), outcome.ChainIndex);
        }
    }

    [Theory]
    [MemberData(nameof(CaseIds))]
    public void Case_IsCorrectlySignedUnlessAboutTheSignature(string id)
    {
        // "Each case tests exactly one rule": a leaf marked as signed by a trusted key must carry a signature of that
        // key over its literal signing input, so the rejection can only come from the rule the case breaks.
        var manifest = Manifest.Value;
        var c = manifest.Case(id);
        string signedWith = c["signedWith"]!.GetValue<string>();
        string token = manifest.Token(c["token"]!.GetValue<string>());
        var jwks = JwksPassportKeyResolver.FromJson(manifest.JwksJson);

        switch (signedWith)
        {
            case "current" or "previous":
                string kid = manifest.Root["keys"]![signedWith]!["kid"]!.GetValue<string>();
                var key = jwks.Keys.Single(k => k.KeyId == kid);
                int dot = token.LastIndexOf('.');
                byte[]? signature = CanonicalBase64Url.DecodeCanonical(token.AsSpan(dot + 1));
                Assert.NotNull(signature);
                Assert.True(key.Verify(Encoding.UTF8.GetBytes(token[..dot]), signature), $"{id}: not signed by the {signedWith} key");
                break;
            case "untrusted":
                string untrusted = manifest.Root["keys"]!["untrusted"]!["kid"]!.GetValue<string>();
                Assert.DoesNotContain(jwks.Keys, k => k.KeyId == untrusted);
                break;
            case "modified" or "none":
                // A token whose signature bytes were changed (or that has none) may only be valid as a documented exception (the high-S twin).
                if (c["expected"]!["result"]!.GetValue<string>() == "valid")
                {
                    Assert.Equal("modified", signedWith);
                    Assert.False(string.IsNullOrEmpty(c["note"]?.GetValue<string>()), $"{id}: a valid case with a modified signature needs a note");
                }
                break;
            default:
                Assert.Fail($"{id}: unknown signedWith '{signedWith}'");
                break;
        }
    }

    [Theory]
    [MemberData(nameof(CaseIds))]
    public void Proof_IsSignedByTheDeclaredHolderKey(string id)
    {
        // The same "one rule per case" claim for holder-binding cases: a proof marked as signed by a corpus holder key
        // carries that key's signature over its literal signing input, so its rejection comes from the rule it breaks.
        var manifest = Manifest.Value;
        if (manifest.Case(id)["proof"] is not JsonObject proof || proof["token"] is not JsonValue file)
        {
            return;
        }

        string signedWith = proof["signedWith"]!.GetValue<string>();
        if (manifest.Root["holderKeys"]![signedWith] is not JsonObject holder)
        {
            Assert.Contains(signedWith, new[] { "rsa-1024", "hmac-public-jwk", "modified", "none" });
            return;
        }

        using var key = PassportHolderKey.FromJwk(File.ReadAllText(Path.Combine(manifest.Directory, holder["jwk"]!.GetValue<string>())));
        Assert.Equal(holder["jkt"]!.GetValue<string>(), key.Thumbprint);
        string token = manifest.Token(file.GetValue<string>());
        int dot = token.LastIndexOf('.');
        byte[]? signature = CanonicalBase64Url.DecodeCanonical(token.AsSpan(dot + 1));
        Assert.NotNull(signature);
        Assert.True(key.PublicKey.Verify(Encoding.ASCII.GetBytes(token[..dot]), signature), $"{id}: the proof is not signed by {signedWith}'s key");
    }

    [Fact]
    public void Manifest_CoversEveryRowOfRecommendedListsA_WithItsCount()
    {
        var cases = Manifest.Value.Cases;
        for (int row = 1; row <= 15; row++)
        {
            int count = cases.Count(c => c["category"]!.GetValue<int>() == row);
            Assert.True(count >= RowCounts[row], $"row {row}: {count} cases, {RowCounts[row]} expected");
        }

        var reasons = cases.Select(c => c["expected"]!["chainReason"]?.GetValue<string>()).Where(r => r is not null).ToHashSet();
        foreach (var reason in Enum.GetValues<ChainBrokenReason>().Where(r => r != ChainBrokenReason.None))
        {
            Assert.Contains(reason.ToString(), reasons);
        }

        Assert.True(cases.Count(c => c["category"]!.GetValue<int>() is >= 1 and <= 15) >= 120);

        // Holder binding (category 22): every proof failure reason, and the other holder outcomes.
        var proofReasons = cases.Select(c => c["expected"]!["proofReason"]?.GetValue<string>()).Where(r => r is not null).ToHashSet();
        foreach (var reason in Enum.GetValues<ProofFailureReason>().Where(r => r != ProofFailureReason.None))
        {
            Assert.Contains(reason.ToString(), proofReasons);
        }

        var results = cases.Select(c => c["expected"]!["result"]!.GetValue<string>()).ToHashSet();
        Assert.Contains(nameof(PassportErrorKind.ProofRequired), results);
        Assert.Contains(nameof(PassportErrorKind.HolderMismatch), results);
    }

    [Fact]
    public void Manifest_IsReproducedByTheGenerator()
    {
        // The committed corpus is what the generator writes with the committed keys (tokens differ only in their
        // randomized ECDSA signatures, so the case table, the kids and the JWKS are compared).
        var manifest = Manifest.Value;
        using var keys = CorpusKeys.Load(RepoPaths.Corpus, createMissing: false);
        var generated = CorpusManifest.Build(new CorpusGenerator(keys).Generate(), keys);

        Assert.Equal(keys.Jwks + "\n", manifest.JwksJson);
        Assert.Equal(generated["keys"]!.ToJsonString(), manifest.Root["keys"]!.ToJsonString());
        Assert.Equal(generated["holderKeys"]!.ToJsonString(), manifest.Root["holderKeys"]!.ToJsonString());
        Assert.Equal(generated["defaultPolicy"]!.ToJsonString(), manifest.DefaultPolicy.ToJsonString());
        var committed = manifest.Cases.Select(Summary).ToArray();
        var fresh = generated["cases"]!.AsArray().Select(c => Summary(c!.AsObject())).ToArray();
        Assert.Equal(fresh, committed);
        foreach (var c in manifest.Cases)
        {
            Assert.True(File.Exists(Path.Combine(manifest.Directory, c["token"]!.GetValue<string>())));
            if (c["proof"]?["token"] is JsonValue proofFile)
            {
                Assert.True(File.Exists(Path.Combine(manifest.Directory, proofFile.GetValue<string>())));
            }
        }
    }

    [Fact]
    public async Task Corpus_NoInvalidCaseIsAccepted()
    {
        var manifest = Manifest.Value;
        var accepted = new List<string>();
        foreach (var c in manifest.Cases.Where(c => c["expected"]!["result"]!.GetValue<string>() != "valid"))
        {
            if ((await RunAsync(manifest, c)).Result == "valid")
            {
                accepted.Add(c["id"]!.GetValue<string>());
            }
        }

        Assert.Empty(accepted);
    }

    internal static async Task<(string Result, string? ChainReason, int? ChainIndex, string? ProofReason)> RunAsync(CorpusManifest manifest, JsonObject c)
    {
        VerificationPolicy policy;
        try
        {
            policy = BuildPolicy(manifest.DefaultPolicy, c["policy"]!.AsObject());
        }
        catch (ArgumentException)
        {
            return ("InvalidPolicy", null, null, null);
        }

        var clock = new FakeTimeProvider(manifest.Now);
        var verifier = new PassportVerifier(manifest.TrustedIssuers(), clock);
        string leaf = manifest.Token(c["token"]!.GetValue<string>());
        var chain = c["chain"]!.AsArray().Select(p => manifest.Token(p!.GetValue<string>())).ToArray();
        var result = await verifier.ValidateAsync(leaf, policy, chain);
        if (!result.Succeeded)
        {
            return (result.Error.Name, result.Error.ChainReason == ChainBrokenReason.None ? null : result.Error.ChainReason.ToString(), result.Error.ChainIndex, null);
        }

        if (c["arguments"] is JsonObject arguments)
        {
            // An argument-constraint case (spec v1.1 §13): the call with these arguments, by the authorizer's rule.
            using var args = JsonDocument.Parse(arguments.ToJsonString());
            var violation = PassportAuthorizer.CheckCall(result.Passport, policy.RequiredScope!, PassportToolArguments.FromJsonObject(args.RootElement));
            return violation is null ? ("valid", null, null, null) : (violation.Name, null, null, null);
        }

        if (c["proof"] is JsonObject proof)
        {
            // A holder-binding case (spec v1.1 §11): the real proof verifier, on the corpus clock, with a fresh replay cache.
            var proofs = new PassportProofVerifier(policy, new InMemoryPassportReplayCache(timeProvider: clock), clock);
            string? proofToken = proof["token"] is JsonValue file ? manifest.Token(file.GetValue<string>()) : null;
            using var callArguments = proof["arguments"] is JsonObject a ? JsonDocument.Parse(a.ToJsonString()) : null;
            var outcome = await proofs.VerifyAsync(result.Passport, proofToken, Expectation(proof, callArguments));
            return outcome.Succeeded
                ? ("valid", null, null, null)
                : (outcome.Error.Name, null, null, outcome.Error.Kind == PassportErrorKind.InvalidProof ? outcome.Error.Details.ProofReason.ToString() : null);
        }

        return ("valid", null, null, null);
    }

    /// <summary>What the case's proof must match: its <c>op</c> call (with the call's arguments when known) or its HTTP request.</summary>
    private static PassportProofExpectation Expectation(JsonObject proof, JsonDocument? arguments)
    {
        string audience = proof["audience"]!.GetValue<string>();
        return proof["op"] is JsonValue op
            ? PassportProofExpectation.ForOperation(audience, op.GetValue<string>(), arguments is null ? null : PassportToolArguments.FromJsonObject(arguments.RootElement))
            : PassportProofExpectation.ForHttp(audience, proof["htm"]!.GetValue<string>(), new Uri(proof["htu"]!.GetValue<string>()));
    }

    /// <summary>The default policy with the case's overrides, built through the public API (which validates it).</summary>
    internal static VerificationPolicy BuildPolicy(JsonObject defaults, JsonObject overrides)
    {
        var p = (JsonObject)defaults.DeepClone();
        foreach (var (name, value) in overrides)
        {
            p[name] = value?.DeepClone();
        }

        return new VerificationPolicy(p["issuers"]!.AsArray().Select(i => i!.GetValue<string>()), p["audience"]!.GetValue<string>())
        {
            ClockSkew = TimeSpan.FromSeconds(p["clockSkewSeconds"]!.GetValue<int>()),
            AllowedAlgorithms = p["allowedAlgorithms"]!.AsArray().Select(a => a!.GetValue<string>()).ToHashSet(StringComparer.Ordinal),
            MaxChainDepth = p["maxChainDepth"]!.GetValue<int>(),
            MaxTokenBytes = p["maxTokenBytes"]!.GetValue<int>(),
            MaxLifetime = TimeSpan.FromSeconds(p["maxLifetimeSeconds"]!.GetValue<int>()),
            RequireIal = p["requireIal"]!.GetValue<int>(),
            RequireAal = p["requireAal"]!.GetValue<int>(),
            RequireFal = p["requireFal"]!.GetValue<int>(),
            RequiredScope = p["requiredScope"]?.GetValue<string>(),
            AllowWildcardScope = p["allowWildcardScope"]!.GetValue<bool>(),
            RequireHolderBinding = p["requireHolderBinding"]!.GetValue<bool>(),
            RequireArgumentBinding = p["requireArgumentBinding"]!.GetValue<bool>(),
            ProofWindow = TimeSpan.FromSeconds(p["proofWindowSeconds"]!.GetValue<int>()),
            AllowedProofAlgorithms = p["allowedProofAlgorithms"]!.AsArray().Select(a => a!.GetValue<string>()).ToHashSet(StringComparer.Ordinal),
        };
    }

    private static string Summary(JsonObject c) => string.Join(
        " | ",
        c["id"]!.GetValue<string>(),
        c["category"]!.GetValue<int>(),
        c["expected"]!.ToJsonString(),
        c["policy"]!.ToJsonString(),
        c["chain"]!.AsArray().Count,
        c["signedWith"]!.GetValue<string>(),
        c["arguments"]?.ToJsonString() ?? "",
        c["proof"] is JsonObject proof ? Without(proof, "token") + " token:" + (proof["token"] is not null) : "");

    private static string Without(JsonObject o, string member)
    {
        var copy = (JsonObject)o.DeepClone();
        copy.Remove(member);
        return copy.ToJsonString();
    }
}
