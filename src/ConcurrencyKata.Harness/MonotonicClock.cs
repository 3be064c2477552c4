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

    /// <summary>
    /// Completes once this clock reads at least <paramref name="at"/>. Timers may fire a little
    /// early by this clock, so it waits again until the clock really got there.
    /// </summary>
    public static async Task DelayUntil(long at, CancellationToken cancellationToken = default)
    {
        while (Now < at)
        {
            var wait = Between(Now, at);
            await Task.Delay(
                    wait > TimeSpan.FromMilliseconds(1) ? wait : TimeSpan.FromMilliseconds(1),
                    cancellationToken
                )
                .ConfigureAwait(false);
        }
    }

    /// <summary>The reading <paramref name="span"/> after <paramref name="from"/>.</summary>
    public static long After(long from, TimeSpan span) => from + span.Ticks * 100;
}
