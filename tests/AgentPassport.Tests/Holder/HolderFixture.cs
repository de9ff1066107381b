using AgentPassport.Tests.Support;

namespace AgentPassport.Tests.Holder;

/// <summary>
/// Alice (root, bound to Alice's key) → Bob (bound to Bob's key) → Carol (bound to Carol's key), each minted through the
/// core issuer with a delegation proof by the parent's key; plus an authorizer at Carol's audience on the fake clock.
/// </summary>
public sealed class HolderFixture : IDisposable
{
    public HolderFixture(VerificationPolicy? policy = null, IPassportReplayCache? replayCache = null)
    {
        Policy = policy ?? new VerificationPolicy(PassportTestContext.IssuerUrl, PassportTestContext.FlightsAudience);
        Authorizer = new PassportAuthorizer(new PassportVerifier(F.Keys, F.Time, cacheCapacity: 64),
            new PassportAuthorizerOptions { Policy = Policy, ReplayCache = replayCache }, Audit, F.Time);
        Alice = F.Issuer.Issue(new RootPassportRequest
        {
            Identity = PassportTestContext.Identity(),
            AgentId = "agent:alice",
            AgentModel = "model-a",
            Audience = PassportTestContext.AliceAudience,
            ToolScope = ["flights:*", "hotels:*"],
            HolderThumbprint = AliceKey.Thumbprint,
        });
        Bob = Delegate(Alice, AliceKey, "agent:bob", PassportTestContext.BobAudience, ["flights:*"], BobKey);
        Carol = Delegate(Bob, BobKey, "agent:carol", PassportTestContext.FlightsAudience, ["flights:book"], CarolKey);
    }

    public PassportTestContext F { get; } = new();

    public InMemoryPassportAuditSink Audit { get; } = new();

    public VerificationPolicy Policy { get; }

    public PassportAuthorizer Authorizer { get; }

    public PassportHolderKey AliceKey { get; } = PassportHolderKey.Generate();

    public PassportHolderKey BobKey { get; } = PassportHolderKey.Generate();

    public PassportHolderKey CarolKey { get; } = PassportHolderKey.Generate();

    public PassportHolderKey ThiefKey { get; } = PassportHolderKey.Generate();

    public IssuedPassport Alice { get; }

    public IssuedPassport Bob { get; }

    public IssuedPassport Carol { get; }

    /// <summary>Carol's context as a thief would hold it: token and chain, no key.</summary>
    public PassportContext CarolStolen => PassportContext.From(Carol, PassportTestContext.FlightsAudience);

    /// <summary>Carol's context as Carol holds it in process.</summary>
    public PassportContext CarolInProcess => CarolStolen.WithHolderKey(CarolKey);

    /// <summary>A proof by <paramref name="key"/> over Carol's token for <paramref name="op"/>.</summary>
    public string CarolProof(PassportHolderKey? key = null, string op = "flights:book", PassportToolArguments? args = null, string? audience = null, string? token = null) =>
        PassportProof.Create(key ?? CarolKey, audience ?? PassportTestContext.FlightsAudience, token ?? Carol.Token, op, args, F.Time);

    public IssuedPassport Delegate(IssuedPassport parent, PassportHolderKey parentKey, string agentId, string audience, string[] scopes, PassportHolderKey childKey)
    {
        var verified = F.Verifier.VerifyAsync(parent.Token, PassportTestContext.Policy(parent.Passport.Audience), parent.ChainTokens).AsTask().GetAwaiter().GetResult();
        return F.Issuer.Delegate(verified, new DelegationRequest
        {
            AgentId = agentId,
            AgentModel = "model-" + agentId,
            Audience = audience,
            ToolScope = scopes,
            HolderThumbprint = childKey.Thumbprint,
            ParentProof = PassportProof.Create(parentKey, PassportTestContext.IssuerUrl, parent.Token, PassportProof.DelegateOperation, timeProvider: F.Time),
        });
    }

    public void Dispose()
    {
        AliceKey.Dispose();
        BobKey.Dispose();
        CarolKey.Dispose();
        ThiefKey.Dispose();
        F.Dispose();
    }
}
