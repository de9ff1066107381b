using System.Diagnostics;

namespace AgentPassport.Redis.Tests.Support;

/// <summary>Bounded polling: waits for a condition that real I/O makes true, failing after a deadline (never a fixed sleep).</summary>
public static class Poll
{
    public static Task<TimeSpan> UntilAsync(Func<bool> condition, TimeSpan deadline, string what, Action? eachRound = null) =>
        UntilAsync(() => ValueTask.FromResult(condition()), deadline, what, eachRound);

    public static async Task<TimeSpan> UntilAsync(Func<ValueTask<bool>> condition, TimeSpan deadline, string what, Action? eachRound = null)
    {
        var clock = Stopwatch.StartNew();
        while (!await condition())
        {
            if (clock.Elapsed > deadline)
            {
                throw new TimeoutException($"not within {deadline.TotalSeconds} s: {what}");
            }

            eachRound?.Invoke();
            await Task.Delay(1);
        }

        return clock.Elapsed;
    }

    public static double Percentile(IReadOnlyList<double> values, double p)
    {
        var sorted = values.Order().ToArray();
        int index = (int)Math.Ceiling(p / 100 * sorted.Length) - 1;
        return sorted[Math.Clamp(index, 0, sorted.Length - 1)];
    }
}
