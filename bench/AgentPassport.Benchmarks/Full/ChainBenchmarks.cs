using BenchmarkDotNet.Attributes;

namespace AgentPassport.Benchmarks.Full;

/// <summary>Chains of 1..9 tokens: cold, a new leaf whose parents are cached, and a full cache hit.</summary>
[Config(typeof(BenchConfig))]
public class ChainBenchmarks
{
    private const int Leaves = 32;
    private BenchFixture _fx = null!;
    private string _leaf = null!;
    private string[] _parents = null!;
    private VerificationPolicy _policy = null!;
    private PassportVerifier _hit = null!;
    private PassportVerifier _newLeaf = null!;

    [Params(1, 2, 3, 4, 5, 6, 7, 8, 9)]
    public int Tokens { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _fx = new BenchFixture(freshLeavesPerLength: Leaves);
        (_leaf, _parents) = _fx.ChainOf(Tokens);
        _policy = BenchFixture.PolicyFor(Tokens);
        _hit = new PassportVerifier(_fx.Keys, TimeProvider.System, new VerifiedChainCache());
        BenchSync.Wait(_hit.ValidateAsync(_leaf, _policy, _parents));
    }

    [GlobalCleanup]
    public void Cleanup() => _fx.Dispose();

    [Benchmark(Baseline = true, Description = "raw ECDsa.VerifyData")]
    public bool RawVerify() => _fx.RawVerify();

    [Benchmark(Description = "chain, cold")]
    public PassportValidationResult Cold() => BenchSync.Wait(_fx.ColdVerifier.ValidateAsync(_leaf, _policy, _parents));

    [Benchmark(Description = "chain, cache hit")]
    public PassportValidationResult Hit() => BenchSync.Wait(_hit.ValidateAsync(_leaf, _policy, _parents));

    [IterationSetup(Target = nameof(NewLeaf))]
    public void WarmParents()
    {
        _newLeaf = new PassportVerifier(_fx.Keys, TimeProvider.System, new VerifiedChainCache());
        if (Tokens > 1)
        {
            var (parentLeaf, grandParents) = _fx.ChainOf(Tokens - 1);
            BenchSync.Wait(_newLeaf.ValidateAsync(parentLeaf, BenchFixture.PolicyFor(Tokens - 1), grandParents));
        }
    }

    [Benchmark(OperationsPerInvoke = Leaves, Description = "new leaf, parents cached")]
    [InvocationCount(1, 1)]
    public void NewLeaf()
    {
        // One token has no parents: a "new leaf" is then simply a cold root verification.
        var verifier = Tokens > 1 ? _newLeaf : _fx.ColdVerifier;
        var leaves = Tokens > 1 ? _fx.FreshLeaves[Tokens] : Enumerable.Repeat(_leaf, Leaves).ToArray();
        for (int i = 0; i < Leaves; i++)
        {
            BenchSync.Wait(verifier.ValidateAsync(leaves[i], _policy, _parents));
        }
    }
}
