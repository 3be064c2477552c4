using System.Globalization;
using ConcurrencyKata.Harness;

namespace ConcurrencyKata.Specs;

/// <summary>
/// Cross-checks the support library's event log with what the OS saw: a record is only believed when
/// it names a process of the run, a thread that process really had, and a moment that process was
/// alive. A program that writes records of its own into the log (to fake downloads it never made,
/// say) is caught here, whatever else it imitates.
/// </summary>
public static class ForgedEvents
{
    /// <summary>How far a record may lie outside the observed lifetime of its process: polls are late by up to this much under load.</summary>
    private static readonly TimeSpan Slack = TimeSpan.FromSeconds(1);

    /// <summary>One sentence per record the OS contradicts (and one for lines that are no record at all); empty when the log is believable.</summary>
    public static IReadOnlyList<string> In(RunRecord run)
    {
        ArgumentNullException.ThrowIfNull(run);
        var problems = new List<string>();
        if (run.MalformedEvents > 0)
        {
            problems.Add(
                $"{run.MalformedEvents.ToString(CultureInfo.InvariantCulture)} line(s) that are not records the support library writes"
            );
        }
        var slack = Slack.Ticks * 100;
        foreach (var e in run.Events)
        {
            var process = run.Processes.FirstOrDefault(p => p.Pid == e.Pid);
            var what = $"\"{e.Event} {e.Name}\" from pid {e.Pid.ToString(CultureInfo.InvariantCulture)}";
            if (process is null)
            {
                problems.Add($"{what}: the OS never saw that process in your program's process tree");
                continue;
            }
            // A thread shorter than a poll may be missing unless the kernel reported every thread.
            // Thread 0: the service could not attest the calling thread, and names none.
            if (e.Tid != 0 && process.AllThreadsSeen && !process.ThreadIds.Contains(e.Tid))
            {
                problems.Add(
                    $"{what}, thread {e.Tid.ToString(CultureInfo.InvariantCulture)}: that process never had such a thread"
                );
                continue;
            }
            var lastAlive = process.ExitSeen ?? process.LastSeen;
            if (e.At < run.StartedAt || e.At < process.FirstSeen - slack || e.At > lastAlive + slack)
            {
                problems.Add(
                    $"{what} at {Runs.At(run, e.At)}: that process ran only from {Runs.At(run, process.FirstSeen)} to {Runs.At(run, lastAlive)}"
                );
            }
        }
        return problems;
    }
}
