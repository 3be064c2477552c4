namespace ConcurrencyKata.Harness;

/// <summary>
/// Ends what is left of a run: the run's process group, every observed process still alive (checked
/// by pid and start time, so a recycled pid is never hit) and every process carrying the run marker.
/// Never anything else.
/// </summary>
internal static class Reaper
{
    public static IReadOnlyList<int> KillRun(
        ProcessTreeObserver observer,
        int rootPid,
        bool ownSession,
        string marker,
        TimeSpan limit
    )
    {
        if (!ProcFs.Available)
        {
            return [];
        }
        var targets = new Dictionary<int, long>();
        var until = MonotonicClock.Now + (long)limit.TotalMilliseconds * 1_000_000;
        while (true)
        {
            if (ownSession)
            {
                Native.Kill(-rootPid, Native.SigKill);
            }
            foreach (var (pid, start) in observer.Alive())
            {
                targets.TryAdd(pid, start);
            }
            foreach (var pid in PidsWithMarker(marker))
            {
                if (ProcFs.Stat(pid) is { } stat)
                {
                    targets.TryAdd(pid, stat.StartTicks);
                }
            }
            var alive = new List<int>();
            foreach (var (pid, start) in targets)
            {
                if (ProcFs.Stat(pid) is not { } stat || stat.StartTicks != start)
                {
                    continue;
                }
                if (stat.IsZombie)
                {
                    if (pid != rootPid)
                    {
                        Native.TryReap(pid); // an orphan re-parented to us
                    }
                    continue;
                }
                Native.Kill(pid, Native.SigKill);
                alive.Add(pid);
            }
            if (alive.Count == 0 || MonotonicClock.Now > until)
            {
                return alive;
            }
            Thread.Sleep(20);
        }
    }

    /// <summary>Every process (other than this one) whose environment carries the run marker.</summary>
    public static IEnumerable<int> PidsWithMarker(string marker)
    {
        var entry = $"{ProgramRunner.MarkerVariable}={marker}";
        var self = Environment.ProcessId;
        foreach (var pid in ProcFs.Pids())
        {
            if (pid != self && ProcFs.EnvironmentContains(pid, entry))
            {
                yield return pid;
            }
        }
    }
}
