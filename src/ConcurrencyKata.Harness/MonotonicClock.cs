using System.Diagnostics;

namespace ConcurrencyKata.Harness;

/// <summary>
/// CLOCK_MONOTONIC in nanoseconds, shared by every process on the machine: the harness stamps
/// output with it and the support library stamps its events with it.
/// </summary>
public static class MonotonicClock
{
    private static readonly double NanosPerTick = 1_000_000_000.0 / Stopwatch.Frequency;

    public static long Now => (long)(Stopwatch.GetTimestamp() * NanosPerTick);

    public static TimeSpan Between(long from, long to) => TimeSpan.FromTicks((to - from) / 100);
}
