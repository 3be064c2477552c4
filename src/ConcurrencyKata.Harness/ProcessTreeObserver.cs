namespace ConcurrencyKata.Harness;

/// <summary>
/// Watches one run's process tree by polling /proc every few milliseconds on a thread of its own:
/// which processes belong to the run (the main process, anything whose parent belongs to it,
/// anything still in the run's session, anything re-parented here that carries the run marker), their parents, command lines, lifetimes, CPU time and
/// threads. A process is remembered from its first sighting, so orphans re-parented elsewhere
/// stay part of the run. Where the kernel's process-event connector is available, forks, execs
/// and exits of the run are also taken from it as they happen: a child is known with its real
/// parent and kernel timestamps even when it lives less than a poll interval.
/// </summary>
internal sealed class ProcessTreeObserver : IDisposable
{
    private readonly int _rootPid;
    private readonly int? _session;
    private readonly string _markerEntry;
    private readonly string _marker;
    private readonly bool _threads;
    private readonly TimeSpan _interval;
    private readonly Dictionary<int, TrackedProcess> _tracked = [];
    private readonly List<TrackedProcess> _order = [];
    private readonly Lock _gate = new();
    private readonly TaskCompletionSource _rootExited = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly CancellationTokenSource _stop = new();
    private static readonly int Self = Environment.ProcessId;
    private static readonly int? OwnSession = ProcFs.Available ? ProcFs.Stat(Self)?.Session : null;

    /// <summary>How many children this process had started when observing began (the main process the last).</summary>
    private long _childrenStarted;
    private long? _rootStartTicks;
    private Thread? _thread;
    private int _polls;
    private long? _rootGoneUnseen;
    private const int FullPassEvery = 20;
    private readonly HashSet<int> _outsiders = [];
    private readonly HashSet<int> _listed = [];
    private int _lastPid = -1;
    private IDisposable? _events;

    /// <summary>Processes the kernel reported forked by a member: their parent and when.</summary>
    private readonly Dictionary<int, (int Parent, long At)> _forks = [];

    /// <summary>Threads the kernel reported started in the main process before it was first tracked.</summary>
    private readonly HashSet<int> _rootThreads = [];
    private readonly int _processLimit;
    private readonly TaskCompletionSource _limitReached = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly long _lostAtStart;
    private int _peak;
    private volatile bool _rootExitReported;

    public ProcessTreeObserver(
        int rootPid,
        int? session,
        string marker,
        bool threads,
        TimeSpan interval,
        bool kernelEvents,
        int processLimit = int.MaxValue
    )
    {
        _processLimit = processLimit;
        _lostAtStart = ProcEvents.Lost;
        _rootPid = rootPid;
        _markerEntry = $"{ProgramRunner.MarkerVariable}={marker}";
        _marker = marker;
        _session = session;
        _threads = threads;
        _interval = interval;
        _events = kernelEvents ? ProcEvents.Subscribe(OnEvent) : null;
        UsesKernelEvents = _events is not null;
    }

    public bool UsesKernelEvents { get; }

    /// <summary>Completes when more processes of the run than the limit were alive at once (a fork storm).</summary>
    public Task LimitReached => _limitReached.Task;

    /// <summary>The most processes of the run seen alive at once.</summary>
    public int PeakProcesses => Volatile.Read(ref _peak);

    /// <summary>
    /// True when every thread any process of the run started is known: the kernel reported each as it
    /// was created and dropped no event meanwhile, and the main process's exit was reported before
    /// observation stopped (the kernel reports events in order, so no thread's report was still on
    /// its way). Otherwise a thread shorter than a poll may be missing.
    /// </summary>
    public bool AllThreadsSeen => UsesKernelEvents && _rootExitReported && ProcEvents.Lost == _lostAtStart;

    /// <summary>Completes once the main process has been seen gone or a zombie (or was gone before it could be seen).</summary>
    public Task RootExited => _rootExited.Task;

    public long? RootExitSeen
    {
        get
        {
            lock (_gate)
            {
                return RootExitSeenLocked();
            }
        }
    }

    public int Polls => Volatile.Read(ref _polls);

    public void Start()
    {
        _childrenStarted = OwnChildren.Started;
        Poll();
        _thread = new Thread(Loop) { IsBackground = true, Name = "kata-observer" };
        _thread.Start();
    }

    /// <summary>Stops polling after one last pass.</summary>
    public void Stop()
    {
        if (_stop.IsCancellationRequested)
        {
            return;
        }
        _stop.Cancel();
        _thread?.Join();
        // The main process's exit may have been seen by a poll before its report came in; what the
        // kernel reported before it (its last threads) is on its way, so wait for it a little.
        for (
            var waited = 0;
            _events is not null && !_rootExitReported && RootExitSeen is not null && waited < 250;
            waited++
        )
        {
            Thread.Sleep(1);
        }
        Poll();
        _events?.Dispose();
        _events = null;
    }

    private void OnEvent(ProcEvent e)
    {
        lock (_gate)
        {
            if (_stop.IsCancellationRequested && _events is null)
            {
                return;
            }
            if (e.Kind == ProcEventKind.Exit && e.Pid == _rootPid)
            {
                _rootExitReported = true;
            }
            if (e.Pid != e.Tgid)
            {
                // A thread: its life is polled, but one shorter than a poll is known only from here.
                // Kept even when a poll has already seen its process exit: the kernel reports a
                // process's threads before its exit, but this listener may be behind the polls.
                if (e.Kind == ProcEventKind.Fork)
                {
                    if (_tracked.TryGetValue(e.Tgid, out var owner))
                    {
                        owner.LearnThread(e.Pid);
                    }
                    else if (e.Tgid == _rootPid)
                    {
                        _rootThreads.Add(e.Pid);
                    }
                }
                return;
            }
            switch (e.Kind)
            {
                case ProcEventKind.Fork when e.ParentTgid == _rootPid || IsLiveMember(e.ParentTgid):
                    _forks[e.Tgid] = (e.ParentTgid, e.At);
                    if (ProcFs.Stat(e.Tgid) is { IsZombie: false } stat)
                    {
                        if (!IsTrackedAs(stat))
                        {
                            Track(stat, e.At);
                        }
                        else
                        {
                            // A poll got there first (this thread was late): the event knows better.
                            _forks.Remove(e.Tgid);
                            _tracked[e.Tgid].LearnFork(e.ParentTgid, e.At);
                        }
                    }
                    else if (!_tracked.TryGetValue(e.Tgid, out var known) || known.ExitSeen is not null)
                    {
                        // Gone before it could be read: still a process the run started.
                        Track(new ProcStat(e.Tgid, "", 'X', e.ParentTgid, 0, 0, 0, -1), e.At);
                        _tracked[e.Tgid].ExitSeen = MonotonicClock.Now;
                    }
                    break;
                case ProcEventKind.Exec when IsLiveMember(e.Tgid):
                    _tracked[e.Tgid].ReadCommandLine();
                    break;
                case ProcEventKind.Exit when IsLiveMember(e.Tgid):
                    var exited = _tracked[e.Tgid];
                    exited.ReadCommandLine();
                    exited.ExitSeen = e.At;
                    exited.ExitStatus = e.ExitStatus;
                    if (e.Tgid == _rootPid)
                    {
                        _rootExited.TrySetResult();
                    }
                    break;
                case ProcEventKind.Exit when _tracked.TryGetValue(e.Tgid, out var polled):
                    // A poll saw it gone first: only the kernel knows how it ended.
                    polled.ExitStatus ??= e.ExitStatus;
                    polled.ExitSeen = Math.Min(polled.ExitSeen ?? e.At, e.At);
                    break;
            }
        }
    }

    private bool IsLiveMember(int pid) => _tracked.TryGetValue(pid, out var t) && t.ExitSeen is null;

    /// <summary>Adds a process found some other way (the run marker in its environment).</summary>
    public void Adopt(int pid)
    {
        var stat = ProcFs.Stat(pid);
        if (stat is null)
        {
            return;
        }
        lock (_gate)
        {
            if (!_tracked.ContainsKey(pid))
            {
                Track(stat.Value, MonotonicClock.Now);
            }
        }
    }

    /// <summary>Processes of the run alive at the last pass, with the start time that identifies them.</summary>
    public IReadOnlyList<(int Pid, long StartTicks)> Alive()
    {
        lock (_gate)
        {
            return [.. _order.Where(t => t.ExitSeen is null).Select(t => (t.Pid, t.StartTicks))];
        }
    }

    public IReadOnlyList<ObservedProcess> Snapshot()
    {
        lock (_gate)
        {
            var allThreads = AllThreadsSeen;
            return [.. _order.Select(t => t.ToRecord(allThreads && t.ThreadsSeenFromBirth))];
        }
    }

    public void Dispose()
    {
        Stop();
        _events?.Dispose();
        _stop.Dispose();
    }

    private void Loop()
    {
        while (!_stop.IsCancellationRequested)
        {
            _stop.Token.WaitHandle.WaitOne(_interval);
            Poll();
        }
    }

    private void Poll()
    {
        var now = MonotonicClock.Now;
        var stats = new Dictionary<int, ProcStat>();
        var pids = ProcFs.Pids();
        // Reading a stat costs the kernel ~15 µs, so processes already seen not to belong to the run
        // are not read again: one can never join the run (its ancestry and session are settled), and
        // its pid cannot be handed to a new process before the pid counter wraps. A full pass from
        // time to time, and one after every wrap, keeps that promise on a machine under load.
        var lastPid = ProcFs.LastPid();
        var full = _polls % FullPassEvery == 0 || lastPid < _lastPid || lastPid < 0;
        _lastPid = lastPid;
        if (full)
        {
            _outsiders.Clear();
        }
        else
        {
            _listed.Clear();
            _listed.UnionWith(pids);
            _outsiders.RemoveWhere(pid => !_listed.Contains(pid));
        }
        foreach (var pid in pids)
        {
            if (!_outsiders.Contains(pid) && ProcFs.Stat(pid) is { } stat)
            {
                stats[pid] = stat;
            }
        }

        lock (_gate)
        {
            Interlocked.Increment(ref _polls);
            // Exits first: a pid that was reused since the last pass must not pass as its old self
            // when membership is decided below.
            foreach (var tracked in _order)
            {
                // Skip what a kernel event added after this pass began listing /proc: not being in
                // the listing says nothing about it.
                if (tracked.ExitSeen is not null || tracked.FirstSeen >= now)
                {
                    continue;
                }
                if (
                    !stats.TryGetValue(tracked.Pid, out var stat)
                    || stat.StartTicks != tracked.StartTicks
                    || stat.IsZombie
                )
                {
                    tracked.ExitSeen = now;
                    continue;
                }
                tracked.Update(stat, now, _threads);
            }

            // A process re-parented to this one before it was seen (its parent died first, and it may
            // have left the session too) is recognised by the run marker in its environment, or, when
            // it cleared its environment, by what the kernel says of it (see IsUnmarkedOrphan).
            var marked = new HashSet<int>();
            foreach (var stat in stats.Values)
            {
                if (
                    stat.ParentPid == Self
                    && stat.Pid != _rootPid
                    && !stat.IsZombie
                    && !IsTrackedAs(stat)
                    && (ProcFs.EnvironmentContains(stat.Pid, _markerEntry) || IsUnmarkedOrphan(stat))
                )
                {
                    marked.Add(stat.Pid);
                }
            }

            // Membership grows to a fixed point: a child may appear in the same pass as its parent.
            bool added;
            do
            {
                added = false;
                foreach (var stat in stats.Values)
                {
                    if ((marked.Contains(stat.Pid) || IsMember(stat, stats)) && !IsTrackedAs(stat))
                    {
                        Track(stat, now);
                        added = true;
                    }
                }
            } while (added);

            if (!_tracked.ContainsKey(_rootPid) && !stats.ContainsKey(_rootPid))
            {
                // Gone before it was ever seen: it exited (the harness's child cannot be replaced before it is reaped).
                _rootGoneUnseen ??= now;
            }
            if (RootExitSeenLocked() is not null)
            {
                _rootExited.TrySetResult();
            }

            foreach (var stat in stats.Values)
            {
                if (IsReapable(stat))
                {
                    Native.TryReap(stat.Pid);
                }
                else if (!stat.IsZombie && !IsTrackedAs(stat))
                {
                    _outsiders.Add(stat.Pid);
                }
            }
        }
    }

    /// <summary>
    /// A zombie of this run re-parented to this process (the subreaper): nobody else will ever wait
    /// for it, so it is reaped here. Never the main process, which CliWrap waits for.
    /// </summary>
    private bool IsReapable(ProcStat stat) =>
        stat.IsZombie
        && stat.ParentPid == Self
        && stat.Pid != _rootPid
        && (
            (_session is { } session && stat.Session == session)
            || (_tracked.TryGetValue(stat.Pid, out var known) && known.StartTicks == stat.StartTicks)
        );

    /// <summary>
    /// An orphan with no marker re-parented here (this process is the subreaper, so only a descendant
    /// of a process started here can be), started after the main process, in a session other than
    /// this process's own, while this process has started no child but the main process since and runs
    /// none else (the guardian aside): a daemon of this run that left its session and cleared its
    /// environment before a poll saw it with its parent.
    /// </summary>
    private bool IsUnmarkedOrphan(ProcStat stat) =>
        _rootStartTicks is { } rootStart
        && stat.StartTicks >= rootStart
        && stat.Session != OwnSession
        && stat.Pid != Guardian.Pid
        && OwnChildren.NoneBut(_rootPid, _childrenStarted);

    private long? RootExitSeenLocked() =>
        _tracked.TryGetValue(_rootPid, out var root) ? root.ExitSeen : _rootGoneUnseen;

    private bool IsMember(ProcStat stat, Dictionary<int, ProcStat> stats)
    {
        if (stat.IsZombie)
        {
            return false;
        }
        if (stat.Pid == _rootPid)
        {
            return true;
        }
        if (_session is { } session && stat.Session == session)
        {
            return true;
        }
        if (_forks.ContainsKey(stat.Pid))
        {
            return true;
        }
        // A child of a live member: the parent must still be the very process that was tracked.
        return _tracked.TryGetValue(stat.ParentPid, out var parent)
            && parent.ExitSeen is null
            && stats.TryGetValue(stat.ParentPid, out var parentNow)
            && parentNow.StartTicks == parent.StartTicks
            && stat.StartTicks >= parent.StartTicks;
    }

    private bool IsTrackedAs(ProcStat stat) =>
        _tracked.TryGetValue(stat.Pid, out var known) && known.StartTicks == stat.StartTicks;

    private void Track(ProcStat stat, long now)
    {
        // A fork the kernel reported gives the real parent and the real start.
        var forked = _forks.Remove(stat.Pid, out var fork);
        var (parent, firstSeen) = forked ? (fork.Parent, Math.Min(fork.At, now)) : (stat.ParentPid, now);
        var tracked = new TrackedProcess(stat, parent, firstSeen)
        {
            // Every thread it starts is reported after it is tracked (the main process's early ones are kept aside).
            ThreadsSeenFromBirth = forked || stat.Pid == _rootPid,
        };
        tracked.Update(stat, now, _threads);
        if (stat.Pid == _rootPid)
        {
            _rootStartTicks = stat.StartTicks;
            foreach (var tid in _rootThreads)
            {
                tracked.LearnThread(tid);
            }
            _rootThreads.Clear();
        }
        _tracked[stat.Pid] = tracked;
        _order.Add(tracked);
        // Should this process die before the run ends, the guardian still knows what to kill, even a
        // process that left the session and cleared its environment where there is no cgroup.
        Guardian.Process(_marker, stat.Pid, stat.StartTicks);
        CountAlive();
    }

    private void CountAlive()
    {
        var alive = 0;
        foreach (var t in _order)
        {
            if (t.ExitSeen is null)
            {
                alive++;
            }
        }
        if (alive > _peak)
        {
            Volatile.Write(ref _peak, alive);
        }
        if (alive > _processLimit)
        {
            _limitReached.TrySetResult();
        }
    }
}
