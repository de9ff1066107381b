using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Jobs;

namespace AgentPassport.Benchmarks.Full;

/// <summary>The job of security-perf-notes §B.2: warmup 3, 12 iterations, one launch, with allocations.</summary>
public sealed class BenchConfig : ManualConfig
{
    public BenchConfig()
    {
        AddJob(Job.Default.WithWarmupCount(3).WithIterationCount(12).WithLaunchCount(1));
        AddDiagnoser(MemoryDiagnoser.Default);
    }
}
