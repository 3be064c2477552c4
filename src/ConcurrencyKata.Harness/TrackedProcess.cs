namespace ConcurrencyKata.Harness;

/// <summary>What the observer knows of one process of the run, updated at every sighting.</summary>
internal sealed class TrackedProcess(ProcStat first, int parentPid, long now)
{
    private readonly Dictionary<int, TrackedThread> _threads = [];
    private IReadOnlyList<string> _commandLine = [];
    private string _comm = "";

    public int Pid { get; } = first.Pid;
    public int ParentPid { get; private set; } = parentPid;
    public int Session { get; private set; } = first.Session;
    public long StartTicks { get; } = first.StartTicks;
    public long FirstSeen { get; private set; } = now;
    public long LastSeen { get; private set; } = now;

    /// <summary>Every thread id the process was seen to have, polled or reported by the kernel.</summary>
    private readonly HashSet<int> _threadIds = [];

    public void LearnThread(int tid) => _threadIds.Add(tid);

    /// <summary>True when the kernel's report of the process's birth came in: every thread it starts is reported after it.</summary>
    public bool ThreadsSeenFromBirth { get; set; }

    public void LearnFork(int parent, long at)
    {
        ThreadsSeenFromBirth = true;
        ParentPid = parent;
        FirstSeen = Math.Min(FirstSeen, at);
    }

    public long? ExitSeen { get; set; }

    /// <summary>The wait status of its exit, from the kernel's exit event; null when that event was not seen.</summary>
    public int? ExitStatus { get; set; }
    public long CpuTicks { get; private set; }

    /// <summary>The most threads the process was seen to have at once (/proc stat field 20, or the tasks listed in one poll).</summary>
    public int PeakThreads { get; private set; }

    public void Update(ProcStat stat, long at, bool threads)
    {
        LastSeen = at;
        CpuTicks = stat.CpuTicks;
        PeakThreads = Math.Max(PeakThreads, stat.ThreadCount);
        Session = stat.Session;
        // The command line changes at exec; re-read it while the process is young or renamed.
        if (stat.Comm != _comm || MonotonicClock.Between(FirstSeen, at) < TimeSpan.FromMilliseconds(300))
        {
            _comm = stat.Comm;
            ReadCommandLine();
        }
        if (!threads)
        {
            return;
        }
        var tasks = ProcFs.Tasks(Pid);
        PeakThreads = Math.Max(PeakThreads, tasks.Count);
        foreach (var tid in tasks)
        {
            _threadIds.Add(tid);
            if (ProcFs.TaskStat(Pid, tid) is not { } task)
            {
                continue;
            }
            if (!_threads.TryGetValue(tid, out var thread))
            {
                thread = new TrackedThread(tid, at);
                _threads[tid] = thread;
            }
            thread.Name = task.Comm;
            thread.LastSeen = at;
            thread.CpuTicks = task.CpuTicks;
            if (ProcFs.TaskRunnableNanoseconds(Pid, tid) is { } runnable)
            {
                thread.Runnable(at, runnable);
            }
        }
    }

    public void ReadCommandLine()
    {
        var commandLine = ProcFs.CommandLine(Pid);
        if (commandLine.Count > 0)
        {
            _commandLine = commandLine;
        }
    }

    /// <param name="allThreadsSeen">Every thread of the process was reported by the kernel as it was created.</param>
    public ObservedProcess ToRecord(bool allThreadsSeen) =>
        new()
        {
            Pid = Pid,
            ParentPid = ParentPid,
            CommandLine =
                _commandLine.Count > 0 ? _commandLine
                : _comm.Length > 0 ? [_comm]
                : [],
            SessionId = Session,
            StartTicks = StartTicks,
            FirstSeen = FirstSeen,
            LastSeen = LastSeen,
            ExitSeen = ExitSeen,
            ExitCode = ExitStatus is { } status && (status & 0x7f) == 0 ? (status >> 8) & 0xff : null,
            KilledBySignal = ExitStatus is { } killed && (killed & 0x7f) != 0 ? killed & 0x7f : null,
            CpuTime = ProcFs.CpuTime(CpuTicks),
            PeakThreadCount = PeakThreads,
            ThreadIds = [.. _threadIds.Append(Pid).Distinct().Order()],
            AllThreadsSeen = allThreadsSeen,
            Threads =
            [
                .. _threads.Values.Select(t => new ObservedThread(
                    t.Tid,
                    t.Name,
                    t.FirstSeen,
                    t.LastSeen,
                    ProcFs.CpuTime(t.CpuTicks)
                )
                {
                    RunnableSamples = t.RunnableSamples,
                    IsMainThread = t.Tid == Pid,
                }),
            ],
        };
}

/// <summary>What the observer knows of one thread of a tracked process.</summary>
internal sealed class TrackedThread(int tid, long firstSeen)
{
    private readonly List<RunnableSample> _runnable = [];

    public int Tid { get; } = tid;
    public long FirstSeen { get; } = firstSeen;
    public long LastSeen { get; set; } = firstSeen;
    public string Name { get; set; } = "";
    public long CpuTicks { get; set; }

    /// <summary>Readings of the runnable time, kept only when it changed, so a sleeping thread costs nothing.</summary>
    public IReadOnlyList<RunnableSample> RunnableSamples => [.. _runnable];

    public void Runnable(long at, long nanoseconds)
    {
        if (_runnable.Count == 0 || _runnable[^1].Nanoseconds != nanoseconds)
        {
            _runnable.Add(new RunnableSample(at, nanoseconds));
        }
    }
}
