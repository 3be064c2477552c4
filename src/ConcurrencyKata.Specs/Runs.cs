using System.Globalization;
using ConcurrencyKata.Harness;

namespace ConcurrencyKata.Specs;

/// <summary>Checks every exercise makes of a run, with the same wording everywhere.</summary>
public static class Runs
{
    /// <summary>
    /// Leaves the check not judged when the run did not end on its own (time limit, fork storm, output
    /// flood) or crashed: "Exits with code zero" reports that cause, once, and a check that would only
    /// guess a second cause from what is left of the run earns nothing instead.
    /// </summary>
    public static void Finished(RunRecord run)
    {
        ArgumentNullException.ThrowIfNull(run);
        if (RootCause(run) is { } cause)
        {
            Explain.NotJudged(cause + " (see \"Exits with code zero\")");
        }
    }

    /// <summary>Why nothing else of the run can be judged, in a few words; null when it ended on its own without crashing.</summary>
    public static string? RootCause(RunRecord run)
    {
        ArgumentNullException.ThrowIfNull(run);
        return run.TimedOut ? $"the program was stopped at the time limit of {Seconds(run.Request.TimeLimit)}"
            : run.ProcessLimitExceeded ? "the program was stopped for starting too many processes"
            : run.OutputFlooded ? "the program was stopped for flooding its output"
            : run.MemoryLimitReached ? $"the program used more than {Bytes(run.MemoryLimit ?? 0)} of memory"
            : run.ExitCode is > 128
                ? DescribeExit(run.ExitCode).Replace("it crashed", "the program crashed", StringComparison.Ordinal)
            : null;
    }

    /// <summary>Fails, with the whole explanation, when the run did not end on its own: time limit, fork storm, output flood.</summary>
    private static void Stopped(RunRecord run)
    {
        if (run.TimedOut)
        {
            Explain.Fail(
                $"the program finishes within {Seconds(run.Request.TimeLimit)}",
                $"it was still running after {Seconds(run.Request.TimeLimit)} and was stopped. {Transcript(run)}",
                "a loop that never ends, or a wait for something that never happens (a child never started, a lock never released, a pipe nobody closes)"
            );
        }
        if (run.ProcessLimitExceeded)
        {
            Explain.Fail(
                string.Create(
                    CultureInfo.InvariantCulture,
                    $"at most {run.Request.ProcessLimit} processes of your program running at the same time"
                ),
                string.Create(
                    CultureInfo.InvariantCulture,
                    $"it forked more than the limit of {run.Request.ProcessLimit} processes ({run.PeakProcesses} seen at once) and was stopped, with every process it started. {Transcript(run)}"
                ),
                "a loop that starts processes without end, or a worker that starts workers itself (check the arguments that tell a worker from the main program)"
            );
        }
        if (run.OutputFlooded)
        {
            var limit = Bytes(run.Request.OutputLimitBytes);
            Explain.Fail(
                $"at most {limit} of output",
                $"output flood stopped after {limit}: the program kept writing and was stopped, and the rest of its output was thrown away. {Transcript(run, 3)}",
                "a print inside a loop that never ends"
            );
        }
    }

    public static void ExitedWithZero(RunRecord run)
    {
        ArgumentNullException.ThrowIfNull(run);
        Stopped(run);
        if (run.MemoryLimitReached && !run.TimedOut && !run.ProcessLimitExceeded && !run.OutputFlooded)
        {
            var limit = Bytes(run.MemoryLimit ?? 0);
            var peak = run.PeakMemory is { } bytes
                ? string.Create(CultureInfo.InvariantCulture, $"; the kernel counted a peak of {bytes >> 20} MiB")
                : "";
            Explain.Fail(
                $"at most {limit} of memory for your program and every process it starts, together",
                $"it used more than {limit} of memory (the verifier's limit{peak}), and {DescribeExit(run.ExitCode)}. {Transcript(run, includeErrors: true)}",
                "a collection that grows without end, or a buffer as large as all the data: keep only what you still need (.NET reports the limit as an OutOfMemoryException)"
            );
        }
        Explain.That(
            run.ExitCode == 0,
            "exit code 0",
            () => $"{DescribeExit(run.ExitCode)}{TaskLimitNote(run)}. {Transcript(run, includeErrors: true)}",
            run.TaskLimitRefusals > 0
                ? "a loop that starts a thread or process for every item: use a bounded number of workers, or tasks that await"
                : "an exception (the message is on stderr above) or an explicit non-zero return from Main"
        );
    }

    /// <summary>", after it tried to have more than N threads and processes at once (...)" when the run hit its task limit; "" otherwise.</summary>
    private static string TaskLimitNote(RunRecord run) =>
        run.TaskLimitRefusals > 0
            ? $", after it tried to have more than {run.Request.TaskLimit.ToString(CultureInfo.InvariantCulture)} threads and processes at once (the verifier's limit; {run.TaskLimitRefusals.ToString(CultureInfo.InvariantCulture)} new ones were refused, which .NET reports as \"Out of memory\")"
            : "";

    /// <summary>"exit code 3", or for a program ended by a signal, "it crashed with exit code 134 (SIGABRT: ...)".</summary>
    public static string DescribeExit(int? exitCode) =>
        exitCode switch
        {
            null => "no exit code (the program was stopped)",
            134 =>
                "it crashed with exit code 134 (SIGABRT: an unhandled exception ends a .NET program this way, or an abort)",
            > 128 and < 160 =>
                $"it crashed with exit code {exitCode.Value.ToString(CultureInfo.InvariantCulture)} (killed by signal {(exitCode.Value - 128).ToString(CultureInfo.InvariantCulture)}{SignalName(exitCode.Value - 128)})",
            _ => $"exit code {exitCode.Value.ToString(CultureInfo.InvariantCulture)}",
        };

    private static string SignalName(int signal) =>
        signal switch
        {
            9 => ", SIGKILL",
            11 => ", SIGSEGV: a crash in native code",
            15 => ", SIGTERM",
            _ => "",
        };

    /// <summary>"1 GiB", "1 MiB", "64 KiB", "100 bytes".</summary>
    public static string Bytes(long bytes) =>
        bytes % (1 << 30) == 0 && bytes > 0 ? $"{(bytes >> 30).ToString(CultureInfo.InvariantCulture)} GiB"
        : bytes % (1 << 20) == 0 ? $"{(bytes >> 20).ToString(CultureInfo.InvariantCulture)} MiB"
        : bytes % 1024 == 0 ? $"{(bytes >> 10).ToString(CultureInfo.InvariantCulture)} KiB"
        : $"{bytes.ToString(CultureInfo.InvariantCulture)} bytes";

    /// <summary>Skips (never passes) a check that needs the OS's view of processes when it is not available here.</summary>
    public static void NeedsObservation(RunRecord run)
    {
        ArgumentNullException.ThrowIfNull(run);
        if (!run.Observation.Available)
        {
            Explain.Skip(run.Observation.SkipReason!);
        }
    }

    public static void LeftNoOrphans(RunRecord run)
    {
        NeedsObservation(run);
        if (run.Orphans.Count == 0 && RootCause(run) is { } cause)
        {
            // A program stopped or crashed before it would have started anything proves nothing by leaving nothing.
            Explain.NotJudged(cause + " (see \"Exits with code zero\")");
        }
        Explain.That(
            run.Orphans.Count == 0,
            "every process your program started has exited before your program exits",
            () =>
                $"{run.Orphans.Count} process(es) still running after your program exited (the verifier killed them): "
                + string.Join("; ", run.Orphans.Select(o => o.Describe())),
            "wait for every child (Process.WaitForExit / WaitForExitAsync) before the main program ends"
        );
    }

    /// <summary>
    /// Fails when the support library's event log holds records the OS contradicts: a process outside
    /// the run, a thread its process never had, a moment its process was not alive, or lines the
    /// library never writes. The checks that read the log trust it only because of this one.
    /// </summary>
    /// <remarks>
    /// With nothing to compare there is nothing to earn: when a run did not end on its own, or no run
    /// recorded a single call, the check is not judged (unless a record was forged, which fails).
    /// </remarks>
    public static void EventLogMatchesTheSystem(params RunRecord[] runs)
    {
        ArgumentNullException.ThrowIfNull(runs);
        foreach (var run in runs)
        {
            NeedsObservation(run);
        }
        var forged = runs.SelectMany(ForgedEvents.In).ToList();
        if (forged.Count == 0)
        {
            if (runs.Select(RootCause).OfType<string>().FirstOrDefault() is { } cause)
            {
                Explain.NotJudged(cause + " (see \"Exits with code zero\")");
            }
            if (runs.All(r => r.Events.Count == 0))
            {
                Explain.NotJudged(
                    "your program made no call to the support library, so there is no record to compare (the checks above say why)"
                );
            }
        }
        Explain.That(
            forged.Count == 0,
            "every record in the event log written by the support library, in a process and thread of your program, while it ran",
            () =>
                $"{forged.Count.ToString(CultureInfo.InvariantCulture)} record(s) of events in the log that the OS never saw: "
                + string.Join("; ", forged.Take(5))
                + (forged.Count > 5 ? "; ..." : ""),
            "call Kata.Download, Kata.TakeTurn and Kata.CriticalWork and let them write the log; never write to the file named in KATA_EVENTS yourself"
        );
    }

    public static string Seconds(TimeSpan span) =>
        span.TotalSeconds.ToString("0.00", CultureInfo.InvariantCulture) + " s";

    public static string Seconds(long from, long to) => Seconds(MonotonicClock.Between(from, to));

    public static double Milliseconds(long from, long to) => MonotonicClock.Between(from, to).TotalMilliseconds;

    /// <summary>A short excerpt of what the program printed, for failure messages.</summary>
    public static string Transcript(RunRecord run, int maxLines = 12, bool includeErrors = false)
    {
        ArgumentNullException.ThrowIfNull(run);
        var lines = run.Stdout.Select(l => l.Text).ToList();
        if (includeErrors)
        {
            lines.AddRange(run.Stderr.Select(l => "stderr: " + l.Text));
        }
        if (lines.Count == 0)
        {
            return "It printed nothing.";
        }
        // A line is shown up to a screen's width: one flood of a line must not bury the verdict.
        const int Width = 200;
        var shown = lines
            .Take(maxLines)
            .Select(l =>
                "  | "
                + (
                    l.Length <= Width
                        ? l
                        : string.Create(
                            CultureInfo.InvariantCulture,
                            $"{l[..Width]}… ({l.Length - Width} more characters)"
                        )
                )
            );
        var more = lines.Count > maxLines ? $"\n  | ... ({lines.Count - maxLines} more lines)" : "";
        return "It printed:\n" + string.Join('\n', shown) + more;
    }

    /// <summary>Where a line was printed relative to the start, in seconds, for messages.</summary>
    public static string At(RunRecord run, long at) => "+" + Seconds(run.StartedAt, at);
}
