using BenchmarkDotNet.Attributes;

namespace AgentPassport.Benchmarks.Full;

/// <summary>Semantic Kernel: a plain <c>KernelFunction.InvokeAsync</c>, with a no-op filter, with the Passport filter (<c>UseAgentPassport</c>); and 8 agents × 10,000 concurrent calls.</summary>
[Config(typeof(BenchConfig))]
public class SkFilterBenchmarks
{
    private BenchFixture _fx = null!;
    private SkFixture _sk = null!;

    [GlobalSetup]
    public void Setup()
    {
        _fx = new BenchFixture(freshLeavesPerLength: SkFixture.Agents);
        _sk = new SkFixture(_fx);
    }

    [GlobalCleanup]
    public void Cleanup() => _fx.Dispose();

    [Benchmark(Baseline = true, Description = "InvokeAsync, no filter")]
    public string? Plain() => _sk.Invoke(_sk.Plain);

    [Benchmark(Description = "InvokeAsync, no-op filter")]
    public string? NoOp() => _sk.Invoke(_sk.NoOp);

    [Benchmark(Description = "InvokeAsync, UseAgentPassport (verified before)")]
    public string? Passport() => _sk.Invoke(_sk.Plugin);

    [Benchmark(OperationsPerInvoke = SkFixture.Agents * 10_000, Description = "8 agents × 10,000 concurrent calls, no filter")]
    public void AgentsPlain() => SkFixture.RunAgents(_sk, _sk.PlainAgents, 10_000);

    [Benchmark(OperationsPerInvoke = SkFixture.Agents * 10_000, Description = "8 agents × 10,000 concurrent calls, UseAgentPassport")]
    public void AgentsPassport() => SkFixture.RunAgents(_sk, _sk.PluginAgents, 10_000);
}
