using System.Globalization;
using ConcurrencyKata.Harness;

namespace ConcurrencyKata.Specs;

/// <summary>
/// What the OS saw of a program's threads, for the thread exercises: which threads the program started
/// itself, which thread ran which support-library call, how many threads were alive at once.
/// </summary>
public static class Threads
{
    /// <summary>The main process as the OS saw it; skips (never passes) the check when it was not observed.</summary>
    public static ObservedProcess Root(RunRecord run)
    {
        Runs.NeedsObservation(run);
        var root = run.Root;
        if (root is null)
        {
            Explain.Skip("the main process was never observed");
        }
        return root;
    }

    /// <summary>Threads the program started itself: neither its main thread nor one the .NET runtime started.</summary>
    public static IReadOnlyList<ObservedThread> LearnerThreads(RunRecord run) => [.. Root(run).ProgramThreads];

    /// <summary>The most OS threads the program had at once, runtime threads included.</summary>
    public static int PeakCount(RunRecord run) => Root(run).PeakThreadCount;

    /// <summary>The processor time the main process used per second of its run (1.0 is one core busy all along).</summary>
    public static double CpuPerWallSecond(RunRecord run)
    {
        var root = Root(run);
        var wall = run.WallTime.TotalSeconds;
        return wall > 0 ? root.CpuTime.TotalSeconds / wall : 0;
    }

    /// <summary>
    /// The thread of <paramref name="process"/> that was runnable (running, or waiting for a CPU) the
    /// longest between two clock readings. Runnable rather than CPU time: a busy loop is runnable all
    /// along even when a loaded machine gives it little CPU, while a waiting thread is asleep. Null
    /// where the kernel keeps no scheduler statistics.
    /// </summary>
    public static (ObservedThread Thread, TimeSpan Runnable)? BusiestBetween(
        ObservedProcess process,
        long from,
        long to
    )
    {
        ArgumentNullException.ThrowIfNull(process);
        var measured = process.Threads.Where(t => t.RunnableSamples.Count > 0).ToList();
        if (measured.Count == 0)
        {
            return null;
        }
        return measured.Select(t => (Thread: t, Runnable: t.RunnableBetween(from, to)!.Value)).MaxBy(t => t.Runnable);
    }

    /// <summary>A thread's name as the kernel keeps it: its first 15 characters.</summary>
    public static string KernelName(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return name.Length > ObservedThread.MaxNameLength ? name[..ObservedThread.MaxNameLength] : name;
    }

    /// <summary>The spans grouped by the OS thread that ran them.</summary>
    public static IReadOnlyDictionary<int, IReadOnlyList<DownloadSpan>> ByThread(IEnumerable<DownloadSpan> spans) =>
        spans.GroupBy(s => s.Tid).ToDictionary(g => g.Key, g => (IReadOnlyList<DownloadSpan>)[.. g]);

    /// <summary>Pairs of spans that were not in progress at the same time at any moment.</summary>
    public static IReadOnlyList<(DownloadSpan First, DownloadSpan Second)> Apart(IReadOnlyList<DownloadSpan> spans)
    {
        ArgumentNullException.ThrowIfNull(spans);
        return [.. spans.SelectMany((a, i) => spans.Skip(i + 1).Where(b => !a.Overlaps(b)).Select(b => (a, b)))];
    }

    /// <summary>Pairs of spans run by different threads that were in progress at the same time.</summary>
    public static IReadOnlyList<(DownloadSpan First, DownloadSpan Second)> OverlappingOnDifferentThreads(
        IReadOnlyList<DownloadSpan> spans
    )
    {
        ArgumentNullException.ThrowIfNull(spans);
        return
        [
            .. spans.SelectMany(
                (a, i) => spans.Skip(i + 1).Where(b => a.Tid != b.Tid && a.Overlaps(b)).Select(b => (a, b))
            ),
        ];
    }

    /// <summary>The most spans in progress at the same moment.</summary>
    public static int MostAtOnce(IEnumerable<DownloadSpan> spans) =>
        Intervals.MostAtOnce(spans.Select(s => (s.Start, s.End)));

    /// <summary>The main thread and the threads the program started, with their ids and names, for messages.</summary>
    public static string DescribeProgramThreads(RunRecord run)
    {
        ArgumentNullException.ThrowIfNull(run);
        var threads = run.Root?.Threads.Where(t => !t.IsRuntimeThread).OrderBy(t => t.FirstSeen).ToList() ?? [];
        return threads.Count == 0
            ? "none seen"
            : string.Join(
                ", ",
                threads.Select(t =>
                    $"{t.Tid.ToString(CultureInfo.InvariantCulture)} \"{t.Name}\"{(t.IsMainThread ? " (main thread)" : "")}"
                )
            );
    }

    /// <summary>"thread 1234 "dl-report-123.p"" with what kind of thread it is, for messages.</summary>
    public static string Describe(RunRecord run, int tid)
    {
        ArgumentNullException.ThrowIfNull(run);
        var id = tid.ToString(CultureInfo.InvariantCulture);
        if (tid == run.RootPid)
        {
            return $"thread {id}, your program's main thread";
        }
        var thread = run.Root?.ThreadWithId(tid);
        if (thread is null)
        {
            return $"thread {id}";
        }
        var kind =
            !thread.IsRuntimeThread ? ""
            : thread.Name.StartsWith(".NET TP", StringComparison.Ordinal) ? ", a thread of the .NET thread pool"
            : ", a thread the .NET runtime started for itself";
        return $"thread {id} \"{thread.Name}\"{kind}";
    }
}
