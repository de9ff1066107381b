using AgentPassport.Benchmarks;
using BenchmarkDotNet.Running;

// --quick: the interleaved harness (under a minute, JSON summary). Anything else goes to BenchmarkDotNet,
// e.g. `-- --filter '*'` for every benchmark or `--filter '*Chain*'`.
if (args.Contains("--probe-holder"))
{
    return HolderProbe.Run();
}

if (args.Contains("--probe"))
{
    return Probe.Run();
}

if (args.Contains("--quick"))
{
    return QuickRun.Run(args);
}

BenchmarkSwitcher.FromAssembly(typeof(BenchFixture).Assembly).Run(args);
return 0;
