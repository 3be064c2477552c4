namespace ConcurrencyKata.Harness;

/// <summary>
/// Ends what is left of a run: every process in the run's cgroups (where there are any), the run's
/// process group, every process still in the run's session,
/// every observed process still alive (checked by pid and start time, so a recycled pid is never
/// hit) and every process carrying the run marker; and reaps the zombies of the run re-parented to
/// this process. Never anything else. It goes round until a pass finds nothing of the run alive, so
/// a fork storm racing it runs out of processes before it runs out of passes.
/// </summary>
internal static class Reaper
{
    private static readonly int Self = Environment.ProcessId;

    /// <param name="root">The main process: its pid, and its start time when it was seen.</param>
    /// <param name="ownSession">True when the main process leads a session (and process group) of its own.</param>
    /// <returns>The pids still alive when <paramref name="limit"/> ran out; empty when all is well.</returns>
    public static IReadOnlyList<int> KillRun(
        ProcessTreeObserver observer,
        (int Pid, long? StartTicks) root,
        bool ownSession,
        string marker,
        RunCgroup? cgroup,
        TimeSpan limit
    )
    {
        if (!ProcFs.Available)
        {
            return [];
        }
        var markerEntry = $"{ProgramRunner.MarkerVariable}={marker}";
        var known = new Dictionary<int, long>();
        var until = MonotonicClock.Now + (long)limit.TotalMilliseconds * 1_000_000;
        while (true)
        {
            cgroup?.Kill();
            var members = cgroup is null ? [] : cgroup.Members().ToHashSet();
            var sessionIsTheRuns = ownSession && GroupIsStillTheRuns(root);
            if (sessionIsTheRuns)
            {
                Native.Kill(-root.Pid, Native.SigKill);
            }
            foreach (var (pid, start) in observer.Alive())
            {
                known.TryAdd(pid, start);
            }
            var alive = new List<int>();
            var zombies = 0;
            foreach (var pid in ProcFs.Pids())
            {
                if (pid == Self || ProcFs.Stat(pid) is not { } stat)
                {
                    continue;
                }
                if (pid == root.Pid)
                {
                    // Its zombie is CliWrap's to reap; a process that reused its pid is not ours. A zombie
                    // leader may still have threads exiting, so it is signalled all the same.
                    if (stat.StartTicks == root.StartTicks)
                    {
                        Native.Kill(pid, Native.SigKill);
                        if (!stat.IsZombie)
                        {
                            alive.Add(pid);
                        }
                    }
                    continue;
                }
                var ofTheRun =
                    members.Contains(pid)
                    || (known.TryGetValue(pid, out var start) && start == stat.StartTicks)
                    || (sessionIsTheRuns && stat.Session == root.Pid)
                    || (!stat.IsZombie && ProcFs.EnvironmentContains(pid, markerEntry));
                if (!ofTheRun)
                {
                    continue;
                }
                if (stat.IsZombie)
                {
                    // Re-parented here: reap it. Still another's (its parent is exiting): it will be
                    // re-parented here shortly, so look again.
                    if (stat.ParentPid == Self)
                    {
                        Native.TryReap(pid);
                    }
                    zombies++;
                    continue;
                }
                known.TryAdd(pid, stat.StartTicks);
                Native.Kill(pid, Native.SigKill);
                alive.Add(pid);
            }
            if ((alive.Count == 0 && zombies == 0) || MonotonicClock.Now > until)
            {
                return alive;
            }
            Thread.Sleep(alive.Count == 0 ? 1 : 10);
        }
    }

    /// <summary>Every process (other than this one) whose environment carries the run marker.</summary>
    public static IEnumerable<int> PidsWithMarker(string marker)
    {
        var entry = $"{ProgramRunner.MarkerVariable}={marker}";
        foreach (var pid in ProcFs.Pids())
        {
            if (pid != Self && ProcFs.EnvironmentContains(pid, entry))
            {
                yield return pid;
            }
        }
    }

    /// <summary>
    /// The group named after the main process can only be another's once that pid was reused, and the
    /// kernel keeps a pid unused while any process is still in a group or session named after it.
    /// So: safe while the main process is there (same start time) or gone; not when its pid now
    /// belongs to a different process.
    /// </summary>
    private static bool GroupIsStillTheRuns((int Pid, long? StartTicks) root) =>
        ProcFs.Stat(root.Pid) is not { } now || (root.StartTicks is { } start && now.StartTicks == start);
}
