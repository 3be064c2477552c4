using System.Runtime.InteropServices;

namespace ConcurrencyKata.Support;

/// <summary>
/// Real CPU-bound work measured in the calling thread's own processor time (the kernel's per-thread
/// clock on Linux). Wall time would make a chunk cheaper on a busy machine, where other programs take
/// the processor in the middle of it; processor time keeps every chunk the same amount of work.
/// </summary>
internal static class Processor
{
    private const int LinuxThreadCpuClock = 3; // CLOCK_THREAD_CPUTIME_ID
    private const int StepsBetweenReadings = 1 << 14;

    /// <summary>Calculates until this thread has used <paramref name="cpu"/> of processor time; returns a checksum.</summary>
    public static long Spin(TimeSpan cpu, ulong seed)
    {
        var clock = ThreadClock();
        var until = clock() + cpu.Ticks * 100;
        var state = seed * 0x9E3779B97F4A7C15UL + 1;
        var sum = 0UL;
        do
        {
            for (var i = 0; i < StepsBetweenReadings; i++)
            {
                // xorshift64*: cheap arithmetic the JIT cannot skip, since the sum is returned.
                state ^= state >> 12;
                state ^= state << 25;
                state ^= state >> 27;
                sum += state * 0x2545F4914F6CDD1DUL;
            }
        } while (clock() < until);
        return (long)(sum >> 1);
    }

    /// <summary>This thread's processor time in nanoseconds; wall time where that clock is not available.</summary>
    private static Func<long> ThreadClock()
    {
        if (OperatingSystem.IsLinux())
        {
            try
            {
                if (clock_gettime(LinuxThreadCpuClock, out _) == 0)
                {
                    return LinuxThreadNanoseconds;
                }
            }
            catch (EntryPointNotFoundException) { }
        }
        return WallNanoseconds;
    }

    private static long WallNanoseconds() =>
        (long)(
            System.Diagnostics.Stopwatch.GetTimestamp() * (1_000_000_000.0 / System.Diagnostics.Stopwatch.Frequency)
        );

    private static long LinuxThreadNanoseconds() =>
        clock_gettime(LinuxThreadCpuClock, out var now) == 0
            ? (now.Seconds * 1_000_000_000L) + now.Nanoseconds
            : long.MaxValue; // a clock that stops working ends the chunk rather than spinning forever

    [StructLayout(LayoutKind.Sequential)]
    private struct TimeSpec
    {
        public long Seconds;
        public long Nanoseconds;
    }

    [DllImport("libc")]
    private static extern int clock_gettime(int clock, out TimeSpec time);
}
