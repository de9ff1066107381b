using System.Diagnostics;
using Xunit.Abstractions;

namespace AgentPassport.TestSupport.Faults;

/// <summary>Times one call under a fault, asserts the upper bound, and reports the figure in the test output.</summary>
public static class Latency
{
    /// <summary>Far below the faulty server's 20 s delay, with room for a loaded 2-core machine; the figures are in the output.</summary>
    public static readonly TimeSpan Bound = TimeSpan.FromSeconds(3);

    public static async Task<T> WithinAsync<T>(ITestOutputHelper output, string what, Func<Task<T>> call)
    {
        var watch = Stopwatch.StartNew();
        var result = await call();
        watch.Stop();
        output.WriteLine($"{what}: {watch.Elapsed.TotalMilliseconds:0} ms");
        Assert.True(watch.Elapsed < Bound, $"{what} took {watch.Elapsed.TotalMilliseconds:0} ms, more than {Bound.TotalMilliseconds:0} ms");
        return result;
    }

    public static async Task<AgentPassportException> FailsWithinAsync(ITestOutputHelper output, string what, Func<Task> call) =>
        await WithinAsync(output, what, async () => await Assert.ThrowsAsync<AgentPassportException>(call));
}
