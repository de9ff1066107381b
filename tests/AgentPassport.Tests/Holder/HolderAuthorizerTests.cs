using AgentPassport.Tests.Support;

namespace AgentPassport.Tests.Holder;

/// <summary>The authorizer's holder-binding step: in process it signs and verifies; across processes it verifies the caller's proof.</summary>
public sealed class HolderAuthorizerTests : IDisposable
{
    private readonly HolderFixture _h = new();

    [Fact]
    public async Task CrossProcess_CallersProof_IsAccepted_Once()
    {
        var context = _h.CarolStolen.WithProof(_h.CarolProof());
        Assert.True((await _h.Authorizer.AuthorizeAsync(context, "flights.book", "flights:book")).IsAllowed);
        var replay = await _h.Authorizer.AuthorizeAsync(context, "flights.book", "flights:book");
        Assert.Equal(PassportErrorKind.ReplayDetected, replay.Error!.Kind);
    }

    [Fact]
    public async Task StolenLeaf_WithTheThiefsProof_IsHolderMismatch()
    {
        var decision = await _h.Authorizer.AuthorizeAsync(_h.CarolStolen.WithProof(_h.CarolProof(key: _h.ThiefKey)), "flights.book", "flights:book");
        Assert.Equal(PassportErrorKind.HolderMismatch, decision.Error!.Kind);
    }

    [Fact]
    public async Task StolenLeaf_WithAThiefKeyInProcess_IsHolderMismatch()
    {
        var decision = await _h.Authorizer.AuthorizeAsync(_h.CarolStolen.WithHolderKey(_h.ThiefKey), "flights.book", "flights:book");
        Assert.Equal(PassportErrorKind.HolderMismatch, decision.Error!.Kind);
    }

    [Fact]
    public async Task ProofForOneTool_DoesNotAuthorizeAnother()
    {
        var decision = await _h.Authorizer.AuthorizeAsync(_h.CarolStolen.WithProof(_h.CarolProof(op: "flights:search")), "flights.book", "flights:book");
        Assert.Equal(PassportErrorKind.InvalidProof, decision.Error!.Kind);
        Assert.Equal(ProofFailureReason.Operation, decision.Error.Details.ProofReason);
    }

    [Fact]
    public async Task InProcess_ArgumentsAreBound_AndEachCallIsARecordedReceipt()
    {
        var args = PassportToolArguments.From([new("dest", "JFK"), new("amount", 420)]);
        var first = await _h.Authorizer.AuthorizeAsync(_h.CarolInProcess, "flights.book", "flights:book", args);
        var second = await _h.Authorizer.AuthorizeAsync(_h.CarolInProcess, "flights.book", "flights:book", args);
        Assert.True(first.IsAllowed && second.IsAllowed);
        Assert.NotEqual(first.ProofId, second.ProofId);
        Assert.All(_h.Audit.Events, e => Assert.Equal(_h.CarolKey.Thumbprint, e.HolderThumbprint));
    }

    [Fact]
    public async Task CrossProcess_ProofOverOtherArguments_IsRefused()
    {
        var signed = PassportToolArguments.From([new("amount", 420)]);
        var sent = PassportToolArguments.From([new("amount", 42000)]);
        var decision = await _h.Authorizer.AuthorizeAsync(_h.CarolStolen.WithProof(_h.CarolProof(args: signed)), "flights.book", "flights:book", sent);
        Assert.Equal(ProofFailureReason.Arguments, decision.Error!.Details.ProofReason);
    }

    [Fact]
    public async Task RequireArgumentBinding_InProcessWithUnreadableArguments_IsRefused()
    {
        using var strict = new HolderFixture(new VerificationPolicy(PassportTestContext.IssuerUrl, PassportTestContext.FlightsAudience) { RequireArgumentBinding = true });
        var unreadable = PassportToolArguments.From([new("x", double.NaN)]);
        Assert.False(unreadable.IsComplete);
        var decision = await strict.Authorizer.AuthorizeAsync(strict.CarolInProcess, "flights.book", "flights:book", unreadable);
        Assert.Equal(ProofFailureReason.Arguments, decision.Error!.Details.ProofReason);
        Assert.True((await strict.Authorizer.AuthorizeAsync(strict.CarolInProcess, "flights.book", "flights:book", PassportToolArguments.From([new("x", 1)]))).IsAllowed);
    }

    [Fact]
    public async Task CachedChain_StillChecksEveryProof()
    {
        Assert.True((await _h.Authorizer.AuthorizeAsync(_h.CarolInProcess, "flights.book", "flights:book")).IsAllowed);
        Assert.Equal(PassportErrorKind.ProofRequired, (await _h.Authorizer.AuthorizeAsync(_h.CarolStolen, "flights.book", "flights:book")).Error!.Kind);
        Assert.True((await _h.Authorizer.AuthorizeAsync(_h.CarolInProcess, "flights.book", "flights:book")).IsAllowed);
    }

    [Fact]
    public async Task RequireHolderBinding_RefusesAnUnboundLeaf_EvenWithAKey()
    {
        var policy = new VerificationPolicy(PassportTestContext.IssuerUrl, PassportTestContext.AliceAudience) { RequireHolderBinding = true };
        var authorizer = new PassportAuthorizer(_h.F.Verifier, new PassportAuthorizerOptions { Policy = policy }, timeProvider: _h.F.Time);
        var bearer = PassportContext.From(_h.F.IssueAlice(), PassportTestContext.AliceAudience).WithHolderKey(_h.AliceKey);
        Assert.Equal(PassportErrorKind.HolderMismatch, (await authorizer.AuthorizeAsync(bearer, "flights.book", "flights:book")).Error!.Kind);
    }

    [Fact]
    public async Task SharedReplayCache_AcrossTwoAuthorizers_RefusesTheSecondUse()
    {
        var shared = new InMemoryPassportReplayCache(timeProvider: _h.F.Time);
        using var one = new HolderFixture(replayCache: shared);
        var other = new PassportAuthorizer(new PassportVerifier(one.F.Keys, one.F.Time),
            new PassportAuthorizerOptions { Policy = one.Policy, ReplayCache = shared }, timeProvider: one.F.Time);
        var context = one.CarolStolen.WithProof(one.CarolProof());
        Assert.True((await one.Authorizer.AuthorizeAsync(context, "flights.book", "flights:book")).IsAllowed);
        Assert.Equal(PassportErrorKind.ReplayDetected, (await other.AuthorizeAsync(context, "flights.book", "flights:book")).Error!.Kind);
    }

    [Fact]
    public void Context_ToString_RedactsTheProof_AndNamesOnlyTheThumbprint()
    {
        string proof = _h.CarolProof();
        string text = _h.CarolInProcess.WithProof(proof).ToString();
        Assert.DoesNotContain(proof, text, StringComparison.Ordinal);
        Assert.DoesNotContain(_h.Carol.Token, text, StringComparison.Ordinal);
        Assert.Contains(_h.CarolKey.Thumbprint, text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AuditEvent_NeverHoldsTheProof()
    {
        string proof = _h.CarolProof();
        await _h.Authorizer.AuthorizeAsync(_h.CarolStolen.WithProof(proof), "flights.book", "flights:book");
        var json = System.Text.Json.JsonSerializer.Serialize(_h.Audit.Events);
        Assert.DoesNotContain(proof.Split('.')[2], json, StringComparison.Ordinal);
        Assert.Contains(_h.Audit.Events[0].ProofId!, json, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(301)]
    public void ProofWindow_OutOfRange_IsRefusedAtSetup(int seconds) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new VerificationPolicy(PassportTestContext.IssuerUrl, PassportTestContext.FlightsAudience) { ProofWindow = TimeSpan.FromSeconds(seconds) });

    [Fact]
    public void ProofAlgorithms_NeverNoneOrHmac()
    {
        Assert.Throws<ArgumentException>(() => new VerificationPolicy(PassportTestContext.IssuerUrl, PassportTestContext.FlightsAudience) { AllowedProofAlgorithms = new HashSet<string> { "none" } });
        Assert.Throws<ArgumentException>(() => new VerificationPolicy(PassportTestContext.IssuerUrl, PassportTestContext.FlightsAudience) { AllowedProofAlgorithms = new HashSet<string> { "HS256" } });
        Assert.Throws<ArgumentException>(() => new VerificationPolicy(PassportTestContext.IssuerUrl, PassportTestContext.FlightsAudience) { AllowedProofAlgorithms = new HashSet<string>() });
    }

    [Fact]
    public void PolicyCopies_KeepTheHolderSettings()
    {
        var policy = new VerificationPolicy(PassportTestContext.IssuerUrl, PassportTestContext.FlightsAudience)
        {
            RequireHolderBinding = true,
            RequireArgumentBinding = true,
            ProofWindow = TimeSpan.FromSeconds(30),
            AllowedProofAlgorithms = new HashSet<string> { "PS256" },
        };
        var copy = policy.WithAudience("https://x.test").WithRequiredScope("a:b");
        Assert.True(copy.RequireHolderBinding && copy.RequireArgumentBinding);
        Assert.Equal(TimeSpan.FromSeconds(30), copy.ProofWindow);
        Assert.Equal(["PS256"], copy.AllowedProofAlgorithms);
    }

    public void Dispose() => _h.Dispose();
}
