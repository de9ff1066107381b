using System.Diagnostics;
using System.Runtime.InteropServices;

namespace AgentPassport.Benchmarks;

/// <summary>
/// CPU time of the current thread or process (Linux <c>clock_gettime</c>, nanoseconds). On a machine shared with other
/// work, CPU time does not count the time this process waited for a core, so ratios stay meaningful under load; the
/// wall-clock figures are kept alongside. Elsewhere it falls back to the wall clock.
/// </summary>
public static partial class CpuClock
{
    private const int ProcessCpuTime = 2;
    private const int ThreadCpuTime = 3;

    public static bool IsCpuTime { get; } = OperatingSystem.IsLinux() && Probe();

    public static long ThreadNanoseconds() => IsCpuTime ? Read(ThreadCpuTime) : WallNanoseconds();

    public static long ProcessNanoseconds() => IsCpuTime ? Read(ProcessCpuTime) : WallNanoseconds();

    public static long WallNanoseconds() => (long)(Stopwatch.GetTimestamp() * (1e9 / Stopwatch.Frequency));

    private static bool Probe()
    {
        try
        {
            return clock_gettime(ThreadCpuTime, out _) == 0;
        }
        catch (DllNotFoundException)
        {
            return false;
        }
        catch (EntryPointNotFoundException)
        {
            return false;
        }
    }

    private static long Read(int clock)
    {
        clock_gettime(clock, out var ts);
        return (ts.Seconds * 1_000_000_000L) + ts.Nanoseconds;
    }

    [LibraryImport("libc", EntryPoint = "clock_gettime")]
    private static partial int clock_gettime(int clockId, out TimeSpec value);

    [StructLayout(LayoutKind.Sequential)]
    private struct TimeSpec
    {
        public long Seconds;
        public long Nanoseconds;
    }
}
