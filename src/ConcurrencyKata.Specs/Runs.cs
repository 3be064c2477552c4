using System.Globalization;
using ConcurrencyKata.Harness;

namespace ConcurrencyKata.Specs;

/// <summary>Checks every exercise makes of a run, with the same wording everywhere.</summary>
public static class Runs
{
    /// <summary>Fails when the run did not end on its own: time limit, output flood, crash.</summary>
    public static void Finished(RunRecord run)
    {
        ArgumentNullException.ThrowIfNull(run);
        if (run.TimedOut)
        {
            Explain.Fail(
                $"the program finishes within {Seconds(run.Request.TimeLimit)}",
                $"it was still running after {Seconds(run.Request.TimeLimit)} and was stopped. {Transcript(run)}",
                "a loop that never ends, or a wait for something that never happens (a child never started, a lock never released, a pipe nobody closes)"
            );
        }
        if (run.OutputFlooded)
        {
            Explain.Fail(
                $"at most {run.Request.OutputLimitBytes / 1024} KiB of output",
                "the program kept writing and was stopped",
                "a print inside a loop that never ends"
            );
        }
    }

    public static void ExitedWithZero(RunRecord run)
    {
        Finished(run);
        Explain.That(
            run.ExitCode == 0,
            "exit code 0",
            () =>
                $"exit code {run.ExitCode?.ToString(CultureInfo.InvariantCulture) ?? "none (the program was stopped)"}. {Transcript(run, includeErrors: true)}",
            "an exception (the message is on stderr above) or an explicit non-zero return from Main"
        );
    }

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
        Explain.That(
            run.Orphans.Count == 0,
            "every process your program started has exited before your program exits",
            () =>
                $"{run.Orphans.Count} process(es) still running after your program exited (the verifier killed them): "
                + string.Join("; ", run.Orphans.Select(o => o.Describe())),
            "wait for every child (Process.WaitForExit / WaitForExitAsync) before the main program ends"
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
        var shown = lines.Take(maxLines).Select(l => "  | " + l);
        var more = lines.Count > maxLines ? $"\n  | ... ({lines.Count - maxLines} more lines)" : "";
        return "It printed:\n" + string.Join('\n', shown) + more;
    }

    /// <summary>Where a line was printed relative to the start, in seconds, for messages.</summary>
    public static string At(RunRecord run, long at) => "+" + Seconds(run.StartedAt, at);
}
