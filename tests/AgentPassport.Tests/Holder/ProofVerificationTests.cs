using System.Text.Json.Nodes;
using AgentPassport.Tests.Support;

namespace AgentPassport.Tests.Holder;

/// <summary>
/// Spec v1.1 §11, rule by rule: each bad proof is a typed error naming the rule (the issue's "bad input" list), and a
/// good one is accepted once.
/// </summary>
public sealed class ProofVerificationTests : IDisposable
{
    private readonly HolderFixture _h = new();
    private readonly InMemoryPassportReplayCache _cache;
    private readonly PassportProofVerifier _verifier;
    private readonly VerifiedPassport _carol;

    public ProofVerificationTests()
    {
        _cache = new InMemoryPassportReplayCache(timeProvider: _h.F.Time);
        _verifier = new PassportProofVerifier(_h.Policy, _cache, _h.F.Time);
        _carol = _h.F.Verifier.VerifyAsync(_h.Carol.Token, _h.Policy, _h.Carol.ChainTokens).AsTask().GetAwaiter().GetResult();
    }

    private static PassportProofExpectation Book(PassportToolArguments? args = null) =>
        PassportProofExpectation.ForOperation(PassportTestContext.FlightsAudience, "flights:book", args);

    private Task<PassportProofResult> VerifyAsync(string? proof, PassportProofExpectation? expectation = null, PassportProofVerifier? verifier = null) =>
        (verifier ?? _verifier).VerifyAsync(_carol, proof, expectation ?? Book()).AsTask();

    private (JsonObject Header, JsonObject Payload) Parts(PassportHolderKey? key = null) =>
        ProofForge.Parts(key ?? _h.CarolKey, PassportTestContext.FlightsAudience, _h.Carol.Token, "flights:book", _h.F.Time.GetUtcNow());

    private static void AssertInvalid(PassportProofResult result, ProofFailureReason reason)
    {
        Assert.False(result.Succeeded);
        Assert.Equal(PassportErrorKind.InvalidProof, result.Error.Kind);
        Assert.Equal("AP0043", result.Error.Code);
        Assert.Equal(reason, result.Error.Details.ProofReason);
    }

    [Fact]
    public async Task ValidProof_IsAccepted_WithItsJtiAndThumbprint()
    {
        var result = await VerifyAsync(_h.CarolProof());
        Assert.True(result.Succeeded, result.Error?.ToString());
        Assert.True(result.HasProof);
        Assert.Equal(_h.CarolKey.Thumbprint, result.Thumbprint);
        Assert.Equal(1, _cache.Count);
    }

    [Fact]
    public async Task ForgedParts_WhenUnchanged_AreAccepted_SoEachNegativeCaseBelowChangesOneThing()
    {
        var (header, payload) = Parts();
        Assert.True((await VerifyAsync(ProofForge.Sign(_h.CarolKey, header, payload))).Succeeded);
    }

    [Fact]
    public async Task NoProof_ForABoundLeaf_IsProofRequired()
    {
        Assert.Equal(PassportErrorKind.ProofRequired, (await VerifyAsync(null)).Error!.Kind);
        Assert.Equal(PassportErrorKind.ProofRequired, (await VerifyAsync(string.Empty)).Error!.Kind);
    }

    [Theory]
    [InlineData("d")]
    [InlineData("p")]
    [InlineData("q")]
    [InlineData("dp")]
    [InlineData("dq")]
    [InlineData("qi")]
    [InlineData("k")]
    public async Task PrivateOrSymmetricMemberInJwk_IsInvalidProofKey(string member)
    {
        var (header, payload) = Parts();
        header["jwk"]![member] = "AAAA";
        AssertInvalid(await VerifyAsync(ProofForge.Sign(_h.CarolKey, header, payload)), ProofFailureReason.Key);
    }

    [Fact]
    public async Task RealPrivateJwk_InTheHeader_IsInvalidProofKey()
    {
        var (header, payload) = Parts();
        header["jwk"] = JsonNode.Parse(_h.CarolKey.ToPrivateJwkJson());
        AssertInvalid(await VerifyAsync(ProofForge.Sign(_h.CarolKey, header, payload)), ProofFailureReason.Key);
    }

    [Fact]
    public async Task SymmetricKeyType_IsInvalidProofKey()
    {
        var (header, payload) = Parts();
        header["jwk"] = new JsonObject { ["kty"] = "oct" };
        AssertInvalid(await VerifyAsync(ProofForge.Sign(_h.CarolKey, header, payload)), ProofFailureReason.Key);
    }

    [Fact]
    public async Task UndersizedRsaKey_IsInvalidProofKey()
    {
        using var rsa1024 = System.Security.Cryptography.RSA.Create(1024);
        var p = rsa1024.ExportParameters(false);
        var (header, payload) = Parts();
        header["alg"] = "RS256";
        header["jwk"] = new JsonObject { ["kty"] = "RSA", ["n"] = System.Buffers.Text.Base64Url.EncodeToString(p.Modulus), ["e"] = System.Buffers.Text.Base64Url.EncodeToString(p.Exponent) };
        var policy = new VerificationPolicy(PassportTestContext.IssuerUrl, PassportTestContext.FlightsAudience) { AllowedProofAlgorithms = new HashSet<string> { "ES256", "RS256" } };
        var verifier = new PassportProofVerifier(policy, _cache, _h.F.Time);
        AssertInvalid(await VerifyAsync(ProofForge.Sign(_h.CarolKey, header, payload), verifier: verifier), ProofFailureReason.Key);
    }

    [Fact]
    public async Task EcKeyOnAnotherCurve_IsInvalidProofKey()
    {
        var (header, payload) = Parts();
        header["jwk"]!["crv"] = "P-384";
        AssertInvalid(await VerifyAsync(ProofForge.Sign(_h.CarolKey, header, payload)), ProofFailureReason.Key);
    }

    [Fact]
    public async Task MissingJwk_IsInvalidProofKey()
    {
        var (header, payload) = Parts();
        header.Remove("jwk");
        AssertInvalid(await VerifyAsync(ProofForge.Sign(_h.CarolKey, header, payload)), ProofFailureReason.Key);
    }

    [Theory]
    [InlineData("kid")]
    [InlineData("jku")]
    [InlineData("x5c")]
    [InlineData("x5u")]
    [InlineData("crit")]
    public async Task ForbiddenHeaderMember_IsInvalidProofForbiddenHeader(string member)
    {
        var (header, payload) = Parts();
        header[member] = member == "crit" ? new JsonArray("exp") : member == "x5c" ? new JsonArray("AAAA") : "value";
        AssertInvalid(await VerifyAsync(ProofForge.Sign(_h.CarolKey, header, payload)), ProofFailureReason.ForbiddenHeader);
    }

    [Theory]
    [InlineData("agent-passport+jwt")]
    [InlineData("dpop+jwt")]
    [InlineData("JWT")]
    public async Task WrongTyp_IsInvalidProofType(string typ)
    {
        var (header, payload) = Parts();
        header["typ"] = typ;
        AssertInvalid(await VerifyAsync(ProofForge.Sign(_h.CarolKey, header, payload)), ProofFailureReason.Type);
    }

    [Fact]
    public async Task MissingTyp_IsInvalidProofType()
    {
        var (header, payload) = Parts();
        header.Remove("typ");
        AssertInvalid(await VerifyAsync(ProofForge.Sign(_h.CarolKey, header, payload)), ProofFailureReason.Type);
    }

    [Theory]
    [InlineData("none")]
    [InlineData("HS256")]
    [InlineData("hs512")]
    [InlineData("RS256")]
    [InlineData("ES384")]
    public async Task AlgorithmNotAllowed_IsInvalidProofAlgorithm(string alg)
    {
        var (header, payload) = Parts();
        header["alg"] = alg;
        string proof = alg == "none"
            ? ProofForge.B64(header.ToJsonString()) + "." + ProofForge.B64(payload.ToJsonString()) + ".AA"
            : ProofForge.Sign(_h.CarolKey, header, payload);
        AssertInvalid(await VerifyAsync(proof), ProofFailureReason.Algorithm);
    }

    [Fact]
    public async Task DuplicateHeaderMember_IsInvalidProofMalformed()
    {
        var (header, payload) = Parts();
        string json = header.ToJsonString();
        json = json.Insert(json.Length - 1, ",\"typ\":\"agent-passport-proof+jwt\"");
        AssertInvalid(await VerifyAsync(ProofForge.SignRaw(_h.CarolKey, json, payload.ToJsonString())), ProofFailureReason.Malformed);
    }

    [Fact]
    public async Task DuplicatePayloadMember_IsInvalidProofMalformed()
    {
        var (header, payload) = Parts();
        string json = payload.ToJsonString();
        json = json.Insert(json.Length - 1, ",\"op\":\"flights:book\"");
        AssertInvalid(await VerifyAsync(ProofForge.SignRaw(_h.CarolKey, header.ToJsonString(), json)), ProofFailureReason.Malformed);
    }

    [Fact]
    public async Task DuplicateMemberInsideTheJwk_IsInvalidProofMalformed()
    {
        var (header, payload) = Parts();
        string json = header.ToJsonString().Replace("\"kty\":\"EC\"", "\"kty\":\"EC\",\"kty\":\"EC\"", StringComparison.Ordinal);
        AssertInvalid(await VerifyAsync(ProofForge.SignRaw(_h.CarolKey, json, payload.ToJsonString())), ProofFailureReason.Malformed);
    }

    [Theory]
    [InlineData("=")]
    [InlineData("+")]
    [InlineData(" ")]
    public async Task NonCanonicalBase64Url_IsInvalidProofMalformed(string junk)
    {
        string proof = _h.CarolProof();
        int dot = proof.IndexOf('.', StringComparison.Ordinal);
        AssertInvalid(await VerifyAsync(proof.Insert(dot, junk)), ProofFailureReason.Malformed);
    }

    [Fact]
    public async Task NonZeroTrailingBits_IsInvalidProofMalformed()
    {
        // A 64-byte ES256 signature is 86 base64url characters; the last carries 2 unused bits. Setting one keeps the
        // decoded bytes the same under a lenient decoder, so only a canonical check refuses it.
        string proof = _h.CarolProof();
        char last = proof[^1];
        const string Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        int index = Alphabet.IndexOf(last, StringComparison.Ordinal);
        Assert.Equal(0, index & 3); // canonical: the unused bits are zero
        string changed = proof[..^1] + Alphabet[index | 1];
        AssertInvalid(await VerifyAsync(changed), ProofFailureReason.Malformed);
    }

    [Fact]
    public async Task Over8KiB_IsInvalidProofMalformed()
    {
        var (header, payload) = Parts();
        payload["pad"] = new string('a', PassportProof.MaxProofBytes);
        AssertInvalid(await VerifyAsync(ProofForge.Sign(_h.CarolKey, header, payload)), ProofFailureReason.Malformed);
    }

    [Theory]
    [InlineData("a.b")]
    [InlineData("a.b.c.d")]
    [InlineData("..")]
    [InlineData("not a jws")]
    public async Task NotACompactJws_IsInvalidProofMalformed(string proof) =>
        AssertInvalid(await VerifyAsync(proof), ProofFailureReason.Malformed);

    [Fact]
    public async Task AthOfTheParent_IsInvalidProofTokenHash()
    {
        string proof = _h.CarolProof(token: _h.Bob.Token);
        AssertInvalid(await VerifyAsync(proof), ProofFailureReason.TokenHash);
    }

    [Fact]
    public async Task OpOfAnotherTool_IsInvalidProofOperation() =>
        AssertInvalid(await VerifyAsync(_h.CarolProof(op: "flights:cancel")), ProofFailureReason.Operation);

    [Fact]
    public async Task AudOfAnotherService_IsInvalidProofAudience() =>
        AssertInvalid(await VerifyAsync(_h.CarolProof(audience: PassportTestContext.BobAudience)), ProofFailureReason.Audience);

    [Fact]
    public async Task HttpProof_ForAnotherMethodOrUrl_IsInvalidProofHttpRequest()
    {
        var url = new Uri("https://flights-mcp.example.com/api/book?x=1");
        var expectation = PassportProofExpectation.ForHttp(PassportTestContext.FlightsAudience, "POST", url);
        string good = PassportProof.CreateForHttp(_h.CarolKey, PassportTestContext.FlightsAudience, _h.Carol.Token, "POST", new Uri("https://FLIGHTS-mcp.example.com:443/api/book"), _h.F.Time);
        Assert.True((await VerifyAsync(good, expectation)).Succeeded);

        string method = PassportProof.CreateForHttp(_h.CarolKey, PassportTestContext.FlightsAudience, _h.Carol.Token, "GET", url, _h.F.Time);
        AssertInvalid(await VerifyAsync(method, expectation), ProofFailureReason.HttpRequest);
        string path = PassportProof.CreateForHttp(_h.CarolKey, PassportTestContext.FlightsAudience, _h.Carol.Token, "POST", new Uri("https://flights-mcp.example.com/api/cancel"), _h.F.Time);
        AssertInvalid(await VerifyAsync(path, expectation), ProofFailureReason.HttpRequest);
        string opForm = _h.CarolProof();
        AssertInvalid(await VerifyAsync(opForm, expectation), ProofFailureReason.HttpRequest);
    }

    [Fact]
    public async Task ArgsOfOtherArguments_IsInvalidProofArguments()
    {
        var signed = PassportToolArguments.From([new("amount", 100)]);
        var called = PassportToolArguments.From([new("amount", 100000)]);
        Assert.True((await VerifyAsync(_h.CarolProof(args: signed), Book(signed))).Succeeded);
        AssertInvalid(await VerifyAsync(_h.CarolProof(args: signed), Book(called)), ProofFailureReason.Arguments);
    }

    [Fact]
    public async Task ArgsWhenTheCallsArgumentsAreUnknown_IsInvalidProofArguments() =>
        AssertInvalid(await VerifyAsync(_h.CarolProof(args: PassportToolArguments.Empty), Book(null)), ProofFailureReason.Arguments);

    [Fact]
    public async Task NoArgs_WhenThePolicyRequiresArgumentBinding_IsInvalidProofArguments()
    {
        var policy = new VerificationPolicy(PassportTestContext.IssuerUrl, PassportTestContext.FlightsAudience) { RequireArgumentBinding = true };
        var verifier = new PassportProofVerifier(policy, _cache, _h.F.Time);
        var args = PassportToolArguments.From([new("dest", "JFK")]);
        AssertInvalid(await VerifyAsync(_h.CarolProof(), Book(args), verifier), ProofFailureReason.Arguments);
        Assert.True((await VerifyAsync(_h.CarolProof(args: args), Book(args), verifier)).Succeeded);
    }

    [Theory]
    [InlineData(-60, true)]
    [InlineData(60, true)]
    [InlineData(-61, false)]
    [InlineData(61, false)]
    public async Task IatAtTheWindowEdges(int offsetSeconds, bool accepted)
    {
        var (header, payload) = Parts();
        payload["iat"] = _h.F.Time.GetUtcNow().ToUnixTimeSeconds() + offsetSeconds;
        var result = await VerifyAsync(ProofForge.Sign(_h.CarolKey, header, payload));
        if (accepted)
        {
            Assert.True(result.Succeeded, result.Error?.ToString());
        }
        else
        {
            AssertInvalid(result, ProofFailureReason.IssuedAt);
        }
    }

    [Fact]
    public async Task ProofUsedAfterTheWindow_IsInvalidProofIssuedAt()
    {
        string proof = _h.CarolProof();
        _h.F.Time.Advance(TimeSpan.FromSeconds(61));
        AssertInvalid(await VerifyAsync(proof), ProofFailureReason.IssuedAt);
    }

    [Theory]
    [InlineData(1.5)]
    [InlineData("1700000000")]
    public async Task IatNotAnInteger_IsInvalidProofClaims(object iat)
    {
        var (header, payload) = Parts();
        payload["iat"] = iat is string s ? JsonValue.Create(s) : JsonValue.Create((double)iat);
        AssertInvalid(await VerifyAsync(ProofForge.Sign(_h.CarolKey, header, payload)), ProofFailureReason.Claims);
    }

    [Theory]
    [InlineData("short")]
    [InlineData("")]
    public async Task ShortJti_IsInvalidProofTokenId(string jti)
    {
        var (header, payload) = Parts();
        payload["jti"] = jti;
        AssertInvalid(await VerifyAsync(ProofForge.Sign(_h.CarolKey, header, payload)), ProofFailureReason.TokenId);
    }

    [Fact]
    public async Task TamperedPayload_IsInvalidProofSignature()
    {
        var (header, payload) = Parts();
        string proof = ProofForge.Sign(_h.CarolKey, header, payload);
        payload["jti"] = "another-jti-of-enough-length";
        string[] parts = proof.Split('.');
        AssertInvalid(await VerifyAsync(parts[0] + "." + ProofForge.B64(payload.ToJsonString()) + "." + parts[2]), ProofFailureReason.Signature);
    }

    [Fact]
    public async Task DuplicateNameNestedInAnUnreadPayloadMember_IsInvalidProofMalformed()
    {
        // The one-pass reader picks out the members it compares; everything else must still be checked at every depth.
        var (header, payload) = Parts();
        string json = payload.ToJsonString();
        json = json.Insert(json.Length - 1, ",\"x\":{\"a\":[{\"b\":1,\"b\":2}]}");
        AssertInvalid(await VerifyAsync(ProofForge.SignRaw(_h.CarolKey, header.ToJsonString(), json)), ProofFailureReason.Malformed);
    }

    [Theory]
    [InlineData("aud")]
    [InlineData("op")]
    [InlineData("jti")]
    public async Task LoneSurrogateInAComparedMember_IsInvalidProofMalformed(string member)
    {
        var (header, payload) = Parts();
        payload[member] = "__LONE__";
        string json = payload.ToJsonString().Replace("__LONE__", "\\ud800", StringComparison.Ordinal);
        AssertInvalid(await VerifyAsync(ProofForge.SignRaw(_h.CarolKey, header.ToJsonString(), json)), ProofFailureReason.Malformed);
    }

    [Fact]
    public async Task InvalidUtf8InAComparedMember_IsInvalidProofMalformed()
    {
        var (header, payload) = Parts();
        payload["aud"] = "__BAD__";
        byte[] json = System.Text.Encoding.UTF8.GetBytes(payload.ToJsonString());
        int at = json.AsSpan().IndexOf("__BAD__"u8);
        json[at] = 0xFF;
        string input = ProofForge.B64(header.ToJsonString()) + "." + System.Buffers.Text.Base64Url.EncodeToString(json);
        string proof = input + "." + System.Buffers.Text.Base64Url.EncodeToString(_h.CarolKey.Sign(System.Text.Encoding.ASCII.GetBytes(input)));
        AssertInvalid(await VerifyAsync(proof), ProofFailureReason.Malformed);
    }

    [Fact]
    public async Task TheSameJwkAfterAnAcceptedProof_WithAPrivateMemberOrAnotherAlg_IsStillInvalidProofKey()
    {
        // The verifier reuses the key parsed for the holder's previous proof when the jwk bytes repeat; that shortcut must
        // neither skip the private-member check nor ignore the algorithm the key is used with.
        var policy = new VerificationPolicy(PassportTestContext.IssuerUrl, PassportTestContext.FlightsAudience) { AllowedProofAlgorithms = new HashSet<string> { "ES256", "RS256" } };
        var verifier = new PassportProofVerifier(policy, _cache, _h.F.Time);
        Assert.True((await VerifyAsync(_h.CarolProof(), verifier: verifier)).Succeeded);

        var (header, payload) = Parts();
        header["jwk"]!["d"] = "AAAA";
        AssertInvalid(await VerifyAsync(ProofForge.Sign(_h.CarolKey, header, payload), verifier: verifier), ProofFailureReason.Key);

        (header, payload) = Parts();
        header["alg"] = "RS256";
        AssertInvalid(await VerifyAsync(ProofForge.Sign(_h.CarolKey, header, payload), verifier: verifier), ProofFailureReason.Key);
        Assert.True((await VerifyAsync(_h.CarolProof(), verifier: verifier)).Succeeded);
    }

    [Fact]
    public async Task ReplayedJti_IsReplayDetected()
    {
        string proof = _h.CarolProof();
        Assert.True((await VerifyAsync(proof)).Succeeded);
        var replay = await VerifyAsync(proof);
        Assert.Equal(PassportErrorKind.ReplayDetected, replay.Error!.Kind);
        Assert.Equal("AP0045", replay.Error.Code);
    }

    [Fact]
    public async Task ValidProofByAnotherHolder_IsHolderMismatch()
    {
        var result = await VerifyAsync(_h.CarolProof(key: _h.ThiefKey));
        Assert.Equal(PassportErrorKind.HolderMismatch, result.Error!.Kind);
        Assert.Equal("AP0044", result.Error.Code);
        Assert.Equal(_h.CarolKey.Thumbprint, result.Error.Details.ExpectedThumbprint);
        Assert.Equal(_h.ThiefKey.Thumbprint, result.Error.Details.ActualThumbprint);
    }

    [Fact]
    public async Task ParentTokenPresentedAsTheLeaf_WithAThiefsProof_IsHolderMismatch()
    {
        // A thief lifts Bob's token from Carol's chain and presents it (with Alice's) as its own leaf, proving with its own key.
        var policy = new VerificationPolicy(PassportTestContext.IssuerUrl, PassportTestContext.BobAudience);
        var bob = await _h.F.Verifier.VerifyAsync(_h.Bob.Token, policy, _h.Bob.ChainTokens);
        var proof = PassportProof.Create(_h.ThiefKey, PassportTestContext.BobAudience, _h.Bob.Token, "flights:book", timeProvider: _h.F.Time);
        var result = await _verifier.VerifyAsync(bob, proof, PassportProofExpectation.ForOperation(PassportTestContext.BobAudience, "flights:book"));
        Assert.Equal(PassportErrorKind.HolderMismatch, result.Error!.Kind);
    }

    [Fact]
    public async Task FullReplayCache_IsReplayCacheUnavailable_AndForgetsNothingEarly()
    {
        var tiny = new InMemoryPassportReplayCache(capacity: 1, timeProvider: _h.F.Time);
        var verifier = new PassportProofVerifier(_h.Policy, tiny, _h.F.Time);
        string first = _h.CarolProof();
        Assert.True((await VerifyAsync(first, verifier: verifier)).Succeeded);
        var full = await VerifyAsync(_h.CarolProof(), verifier: verifier);
        Assert.Equal(PassportErrorKind.ReplayCacheUnavailable, full.Error!.Kind);
        Assert.Equal("AP0046", full.Error.Code);
        Assert.Equal(PassportErrorKind.ReplayDetected, (await VerifyAsync(first, verifier: verifier)).Error!.Kind);

        // Once the first entry's time has passed, it is dropped and the cache takes new proofs again.
        _h.F.Time.Advance(verifier.ReplayTimeToLive);
        Assert.True((await VerifyAsync(_h.CarolProof(), verifier: verifier)).Succeeded);
    }

    [Fact]
    public async Task ThrowingReplayCache_IsReplayCacheUnavailable()
    {
        var verifier = new PassportProofVerifier(_h.Policy, new ThrowingCache(), _h.F.Time);
        Assert.Equal(PassportErrorKind.ReplayCacheUnavailable, (await VerifyAsync(_h.CarolProof(), verifier: verifier)).Error!.Kind);
    }

    [Fact]
    public async Task DefaultReplayAnswer_IsReplayCacheUnavailable()
    {
        var verifier = new PassportProofVerifier(_h.Policy, new UndecidedCache(), _h.F.Time);
        Assert.Equal(PassportErrorKind.ReplayCacheUnavailable, (await VerifyAsync(_h.CarolProof(), verifier: verifier)).Error!.Kind);
    }

    [Fact]
    public async Task UnboundLeaf_UnderRequireHolderBinding_IsHolderMismatch_AndWithoutItNeedsNoProof()
    {
        var issued = _h.F.IssueAlice("flights:book");
        var alice = await _h.F.Verifier.VerifyAsync(issued.Token, PassportTestContext.Policy(PassportTestContext.AliceAudience));
        var expectation = PassportProofExpectation.ForOperation(PassportTestContext.AliceAudience, "flights:book");
        var strict = new PassportProofVerifier(new VerificationPolicy(PassportTestContext.IssuerUrl, PassportTestContext.AliceAudience) { RequireHolderBinding = true }, _cache, _h.F.Time);
        Assert.Equal(PassportErrorKind.HolderMismatch, (await strict.VerifyAsync(alice, null, expectation)).Error!.Kind);
        var lenient = await _verifier.VerifyAsync(alice, null, expectation);
        Assert.True(lenient.Succeeded);
        Assert.False(lenient.HasProof);
    }

    [Fact]
    public async Task RsaHolderKeys_WhenAllowed_Verify()
    {
        foreach (var alg in new[] { "RS256", "PS256" })
        {
            using var key = PassportHolderKey.Generate(alg);
            var policy = new VerificationPolicy(PassportTestContext.IssuerUrl, PassportTestContext.FlightsAudience) { AllowedProofAlgorithms = new HashSet<string> { alg } };
            var verifier = new PassportProofVerifier(policy, _cache, _h.F.Time);
            var root = _h.F.Issuer.Issue(new RootPassportRequest
            {
                Identity = PassportTestContext.Identity(),
                AgentId = "agent:rsa",
                AgentModel = "m",
                Audience = PassportTestContext.FlightsAudience,
                ToolScope = ["flights:book"],
                HolderThumbprint = key.Thumbprint,
            });
            var leaf = await _h.F.Verifier.VerifyAsync(root.Token, _h.Policy);
            var proof = PassportProof.Create(key, PassportTestContext.FlightsAudience, root.Token, "flights:book", timeProvider: _h.F.Time);
            var result = await verifier.VerifyAsync(leaf, proof, Book());
            Assert.True(result.Succeeded, result.Error?.ToString());
        }
    }

    public void Dispose() => _h.Dispose();

    private sealed class ThrowingCache : IPassportReplayCache
    {
        public ValueTask<PassportReplayCheck> TryRecordAsync(string thumbprint, string jti, TimeSpan timeToLive, CancellationToken cancellationToken = default) =>
            throw new InvalidOperationException("connection refused");
    }

    private sealed class UndecidedCache : IPassportReplayCache
    {
        public ValueTask<PassportReplayCheck> TryRecordAsync(string thumbprint, string jti, TimeSpan timeToLive, CancellationToken cancellationToken = default) =>
            ValueTask.FromResult(default(PassportReplayCheck));
    }
}
