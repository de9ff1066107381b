using BenchmarkDotNet.Attributes;

namespace AgentPassport.Benchmarks.Full;

/// <summary>One-token operations against the raw ECDSA baselines on the same key and signing input.</summary>
[Config(typeof(BenchConfig))]
public class VerifyBenchmarks
{
    private BenchFixture _fx = null!;
    private PassportVerifier _hit = null!;
    private VerificationPolicy _policy = null!;

    [GlobalSetup]
    public void Setup()
    {
        _fx = new BenchFixture(freshLeavesPerLength: 1);
        _policy = BenchFixture.PolicyFor(1);
        _hit = new PassportVerifier(_fx.Keys, TimeProvider.System, new VerifiedChainCache());
        BenchSync.Wait(_hit.ValidateAsync(_fx.RootToken, _policy));
    }

    [GlobalCleanup]
    public void Cleanup() => _fx.Dispose();

    [Benchmark(Baseline = true, Description = "raw ECDsa.VerifyData")]
    public bool RawVerify() => _fx.RawVerify();

    [Benchmark(Description = "raw ECDsa.SignData")]
    public byte[] RawSign() => _fx.RawSign();

    [Benchmark(Description = "verify one ES256 Passport, cold")]
    public PassportValidationResult VerifyCold() => BenchSync.Wait(_fx.ColdVerifier.ValidateAsync(_fx.RootToken, _policy));

    [Benchmark(Description = "verify one ES256 Passport, cache hit")]
    public PassportValidationResult VerifyHit() => BenchSync.Wait(_hit.ValidateAsync(_fx.RootToken, _policy));

    [Benchmark(Description = "issue a root Passport")]
    public IssuedPassport Issue() => _fx.Issuer.Issue(_fx.RootRequest);

    [Benchmark(Description = "delegate one hop")]
    public IssuedPassport Delegate() => _fx.Issuer.Delegate(_fx.Verified[0], _fx.ChildRequest(1, BenchFixture.Audience(2)));

    [Benchmark(Description = "reject garbage")]
    public PassportValidationResult RejectGarbage() => BenchSync.Wait(_fx.ColdVerifier.ValidateAsync(_fx.Garbage, _policy));

    [Benchmark(Description = "reject oversize")]
    public PassportValidationResult RejectOversize() => BenchSync.Wait(_fx.ColdVerifier.ValidateAsync(_fx.Oversize, _policy));

    [Benchmark(Description = "16 KiB, bad signature, many claims")]
    public PassportValidationResult MaxSizeManyClaims() => BenchSync.Wait(_fx.ColdVerifier.ValidateAsync(_fx.MaxSizeBadSignatureManyClaims, _policy));

    [Benchmark(Description = "16 KiB, bad signature, long strings")]
    public PassportValidationResult MaxSizeLongStrings() => BenchSync.Wait(_fx.ColdVerifier.ValidateAsync(_fx.MaxSizeBadSignatureLongStrings, _policy));
}
