using System.Globalization;
using ConcurrencyKata.Harness;

namespace ConcurrencyKata.Specs;

/// <summary>One call of Kata.Compute as the support library recorded it: which chunk, in which process and OS thread, when.</summary>
public sealed record ComputeSpan(string Chunk, int Pid, int Tid, long Start, long End)
{
    public bool Overlaps(ComputeSpan other) => Start < other.End && other.Start < End;

    public TimeSpan Wall => MonotonicClock.Between(Start, End);
}

/// <summary>
/// How many chunks a run computes and how much processor time each one costs (the verifier's choice).
/// Chunk 1 costs the most and each next chunk <paramref name="StepMs"/> less, down to
/// <paramref name="ChunkMs"/> for chunk K: the last worker started is the first done, so a program
/// that waits only for its last worker prints its total while the others still compute, on every run.
/// </summary>
public sealed record ComputePlan(int Chunks, int ChunkMs, int StepMs = 0)
{
    /// <summary>The processor time of chunk <paramref name="chunk"/> (by its name, "1" to "K").</summary>
    public TimeSpan CostOf(string chunk) =>
        TimeSpan.FromMilliseconds(
            int.TryParse(chunk, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n >= 1 && n <= Chunks
                ? ChunkMs + ((Chunks - n) * StepMs)
                : ChunkMs
        );

    /// <summary>The cheapest chunk's processor time (chunk K's).</summary>
    public TimeSpan ChunkCpu => TimeSpan.FromMilliseconds(ChunkMs);

    /// <summary>The dearest chunk's processor time (chunk 1's).</summary>
    public TimeSpan LongestChunkCpu => CostOf("1");

    /// <summary>The processor time of all the chunks together.</summary>
    public TimeSpan Cpu =>
        Enumerable
            .Range(1, Chunks)
            .Aggregate(TimeSpan.Zero, (sum, n) => sum + CostOf(n.ToString(CultureInfo.InvariantCulture)));

    /// <summary>"0.35 s" or "0.35–0.65 s" (chunk K to chunk 1).</summary>
    public string Costs =>
        StepMs == 0
            ? Runs.Seconds(ChunkCpu)
            : $"{ChunkCpu.TotalSeconds.ToString("0.00", CultureInfo.InvariantCulture)}–{Runs.Seconds(LongestChunkCpu)}";

    public RunRequest Apply(RunRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var costs = Enumerable
            .Range(1, Chunks)
            .Select(n => n.ToString(CultureInfo.InvariantCulture))
            .ToDictionary(n => n, n => (int)CostOf(n).TotalMilliseconds, StringComparer.Ordinal);
        return request with { Work = request.Work with { ComputeMs = ChunkMs, ComputeCosts = costs } };
    }
}

/// <summary>
/// How a run used the machine's processors while it computed, from the first chunk's start to the
/// last chunk's end (the window). Cpu is the chunks' processor time: Kata.Compute spins until the
/// kernel's per-thread clock has counted a chunk's worth, so it is exact. Ready is what the computing
/// threads could have used had the machine been theirs alone: the time the OS saw them runnable (on a
/// processor or waiting for one) during the window, at most the window each and at most the machine's
/// cores together. Unlike processor time, runnable time does not shrink when other programs take the
/// processors; the difference between Ready and Cpu is time the threads spent waiting for one.
/// </summary>
public sealed record Parallelism(int Chunks, int AtOnce, int Cores, TimeSpan Wall, TimeSpan Cpu, TimeSpan? Ready)
{
    /// <summary>Processor time per second of the window: 1.0 is one core busy all along.</summary>
    public double CoresUsed => Wall > TimeSpan.Zero ? Cpu / Wall : 0;

    /// <summary>The cores' worth the computing threads were ready to use; null where the kernel does not say.</summary>
    public double? CoresReady => Ready is { } ready && Wall > TimeSpan.Zero ? ready / Wall : null;

    /// <summary>Time the computing threads were ready to run but had no processor: other programs had them.</summary>
    public TimeSpan? Waited => Ready is { } ready ? ready - Cpu : null;

    public static string Format(double cores) => cores.ToString("0.00", CultureInfo.InvariantCulture);
}

public static class Computations
{
    /// <summary>Pairs each compute-start with the next compute-end of the same thread.</summary>
    public static IReadOnlyList<ComputeSpan> Spans(RunRecord run)
    {
        ArgumentNullException.ThrowIfNull(run);
        var spans = new List<ComputeSpan>();
        var byThread = run
            .Events.Where(e => e.Event is "compute-start" or "compute-end")
            .OrderBy(e => e.At)
            .GroupBy(e => (e.Pid, e.Tid));
        foreach (var thread in byThread)
        {
            SupportEvent? open = null;
            foreach (var e in thread)
            {
                if (e.Event == "compute-start")
                {
                    open = e;
                }
                else if (open is not null && e.Name == open.Name)
                {
                    spans.Add(new ComputeSpan(open.Name, open.Pid, open.Tid, open.At, e.At));
                    open = null;
                }
            }
        }
        return [.. spans.OrderBy(s => s.Start)];
    }

    /// <summary>The most chunks being computed at the same moment.</summary>
    public static int MostAtOnce(IEnumerable<ComputeSpan> spans) =>
        Intervals.MostAtOnce(spans.Select(s => (s.Start, s.End)));

    /// <summary>
    /// How many chunks must be computed at the same moment to show several cores at work: all of them,
    /// or as many as the machine has cores, and never fewer than two (time slicing runs two threads
    /// side by side even on one core).
    /// </summary>
    public static int NeededAtOnce(int chunks, int cores) => Math.Min(chunks, Math.Max(2, cores));

    /// <summary>The OS's record of the thread that computed <paramref name="span"/>; null when it was not observed.</summary>
    public static ObservedThread? ThreadOf(RunRecord run, ComputeSpan span)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(span);
        return run.Processes.FirstOrDefault(p => p.Pid == span.Pid)?.ThreadWithId(span.Tid);
    }

    /// <summary>
    /// How long the thread was runnable (computing or waiting for a processor) during its chunk; null
    /// when the kernel does not say or the thread was not observed.
    /// </summary>
    public static TimeSpan? RunnableDuring(RunRecord run, ComputeSpan span) =>
        ThreadOf(run, span)?.RunnableBetween(span.Start, span.End);

    /// <summary>Measures the run's parallelism over its compute window (see <see cref="Parallelism"/>).</summary>
    public static Parallelism Measure(RunRecord run, IReadOnlyList<ComputeSpan> spans, ComputePlan plan, int cores)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(spans);
        ArgumentNullException.ThrowIfNull(plan);
        if (spans.Count == 0)
        {
            return new Parallelism(0, 0, cores, TimeSpan.Zero, TimeSpan.Zero, null);
        }
        var from = spans.Min(s => s.Start);
        var to = spans.Max(s => s.End);
        var cpu = spans.Aggregate(TimeSpan.Zero, (sum, s) => sum + plan.CostOf(s.Chunk));
        return new Parallelism(
            spans.Count,
            MostAtOnce(spans),
            cores,
            MonotonicClock.Between(from, to),
            cpu,
            Ready(run, spans, from, to, cores)
        );
    }

    /// <summary>
    /// Adds up the computing threads' runnable time over the window, each at most the window, all
    /// together at most the cores. Totals, not poll-by-poll sums: the kernel adds a wait for a
    /// processor to a thread's count only when the thread gets one, so between two polls a thread
    /// can show more runnable time than the polls were apart.
    /// </summary>
    private static TimeSpan? Ready(RunRecord run, IReadOnlyList<ComputeSpan> spans, long from, long to, int cores)
    {
        var threads = spans
            .Select(s => ThreadOf(run, s))
            .Where(t => t is not null)
            .Select(t => t!)
            .DistinctBy(t => t.Tid)
            .ToList();
        var computing = spans.Select(s => s.Tid).Distinct().Count();
        if (threads.Count < computing || threads.Any(t => t.RunnableSamples.Count == 0))
        {
            return null;
        }
        var window = MonotonicClock.Between(from, to);
        var runnable = threads.Aggregate(
            TimeSpan.Zero,
            (sum, t) => sum + Min(t.RunnableBetween(from, to) ?? TimeSpan.Zero, window)
        );
        return Min(runnable, window * cores);
    }

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;
}
