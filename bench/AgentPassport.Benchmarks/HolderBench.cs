using AgentPassport.SemanticKernel;
using Microsoft.SemanticKernel;

namespace AgentPassport.Benchmarks;

/// <summary>
/// Holder binding (spec v1.1 §11): a root bound to an ES256 holder key, proofs signed ahead of time (untimed) so the
/// timed loops measure verification only, and a Semantic Kernel agent whose filter signs and verifies a proof per call.
/// </summary>
public sealed class HolderBench
{
    public const int ProofsPerRound = 60;

    private readonly BenchFixture _fx;
    private readonly PassportAuthorizer _authorizer;
    private readonly PassportContext _context;

    public HolderBench(BenchFixture fx, SkFixture sk)
    {
        _fx = fx;
        Key = PassportHolderKey.Generate();
        Issued = fx.Issuer.Issue(fx.RootRequest with { HolderThumbprint = Key.Thumbprint });
        Policy = BenchFixture.PolicyFor(1);
        Leaf = fx.ColdVerifier.VerifyAsync(Issued.Token, Policy).AsTask().GetAwaiter().GetResult();
        _context = PassportContext.From(Issued);
        _authorizer = new PassportAuthorizer(new PassportVerifier(fx.Keys, TimeProvider.System, new VerifiedChainCache()),
            new PassportAuthorizerOptions { Policy = Policy, ReplayCache = new InMemoryPassportReplayCache(1_000_000) }, new SkFixture.DiscardingAuditSink());

        var plugin = KernelPluginFactory.CreateFromFunctions("flights", [KernelFunctionFactory.CreateFromMethod((string input) => input, "book")]);
        Function = plugin["book"];
        var builder = Kernel.CreateBuilder();
        builder.Plugins.Add(plugin);
        var inProcessAuthorizer = new PassportAuthorizer(sk.Verifier, new PassportAuthorizerOptions { Policy = Policy, ReplayCache = new InMemoryPassportReplayCache(1_000_000) }, new SkFixture.DiscardingAuditSink());
        Kernel = builder.Build().UseAgentPassport(inProcessAuthorizer, _context.WithHolderKey(Key));
        Arguments = new KernelArguments { ["input"] = "SFO-JFK" };
        if (InvokeSk() != "SFO-JFK")
        {
            throw new InvalidOperationException("the bound Semantic Kernel agent was denied");
        }
    }

    public PassportHolderKey Key { get; }

    public IssuedPassport Issued { get; }

    public VerificationPolicy Policy { get; }

    public VerifiedPassport Leaf { get; }

    public KernelFunction Function { get; }

    public Kernel Kernel { get; }

    public KernelArguments Arguments { get; }

    public string[] Proofs { get; private set; } = [];

    public PassportProofVerifier? Verifier { get; private set; }

    /// <summary>Gets a proof verifier that lives across rounds (its replay cache holds every round's proofs), so the holder's key is parsed once.</summary>
    public PassportProofVerifier WarmVerifier { get; } = new(BenchFixture.PolicyFor(1), new InMemoryPassportReplayCache(1_000_000), TimeProvider.System);

    /// <summary>Signs the round's proofs and gives the proof verifier a fresh replay cache (untimed).</summary>
    public void NewRound()
    {
        Proofs = [.. Enumerable.Range(0, ProofsPerRound).Select(_ => PassportProof.Create(Key, Policy.Audience, Issued.Token, "flights:book"))];
        Verifier = new PassportProofVerifier(Policy, new InMemoryPassportReplayCache(), TimeProvider.System);
    }

    public void VerifyProofs(int count) => VerifyProofs(Verifier!, count);

    /// <summary>Verifies the round's proofs with <see cref="WarmVerifier"/>: the same work minus the holder key's import.</summary>
    public void VerifyProofsWarm(int count) => VerifyProofs(WarmVerifier, count);

    private void VerifyProofs(PassportProofVerifier verifier, int count)
    {
        var expectation = PassportProofExpectation.ForOperation(Policy.Audience, "flights:book");
        for (int i = 0; i < count; i++)
        {
            var pending = verifier.VerifyAsync(Leaf, Proofs[i], expectation);
            var result = pending.IsCompletedSuccessfully ? pending.Result : pending.AsTask().GetAwaiter().GetResult();
            if (!result.Succeeded)
            {
                throw new InvalidOperationException($"proof refused: {result.Error}");
            }
        }
    }

    public void AuthorizeWithProofs(int count)
    {
        for (int i = 0; i < count; i++)
        {
            var pending = _authorizer.AuthorizeAsync(_context.WithProof(Proofs[i]), "flights.book", "flights:book");
            var decision = pending.IsCompletedSuccessfully ? pending.Result : pending.AsTask().GetAwaiter().GetResult();
            if (!decision.IsAllowed)
            {
                throw new InvalidOperationException($"call refused: {decision.Error}");
            }
        }
    }

    public string? InvokeSk() => Function.InvokeAsync(Kernel, Arguments).GetAwaiter().GetResult().GetValue<string>();

    public void RawSignAndVerify()
    {
        _fx.RawSign();
        _fx.RawVerify();
    }
}
