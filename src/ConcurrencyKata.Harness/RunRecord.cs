namespace ConcurrencyKata.Harness;

/// <summary>
/// Everything observed about one run, immutable. Every timestamp is a monotonic clock reading in
/// nanoseconds (<see cref="MonotonicClock"/>), the same clock the work service stamps its records
/// with, so lines, events and process lifetimes can be compared directly.
/// </summary>
public sealed record RunRecord
{
    public required RunRequest Request { get; init; }
    public required string Marker { get; init; }
    public required int RootPid { get; init; }

    /// <summary>The program that was started: <see cref="RunRequest.ProgramPath"/>, or its copy in the run folder when the run was isolated.</summary>
    public required string Program { get; init; }

    /// <summary>The program's exit code; null when it was killed (time-out, flood).</summary>
    public required int? ExitCode { get; init; }
    public required long StartedAt { get; init; }

    /// <summary>When the main process was seen to exit (or was killed).</summary>
    public required long ExitedAt { get; init; }
    public required bool TimedOut { get; init; }
    public required bool OutputFlooded { get; init; }

    /// <summary>More processes of the run than <see cref="RunRequest.ProcessLimit"/> were alive at once; the run was stopped.</summary>
    public bool ProcessLimitExceeded { get; init; }

    /// <summary>
    /// How many times a new process or thread of the run was refused because the run had
    /// <see cref="RunRequest.TaskLimit"/> of them (cgroup pids.max); 0 where no such limit was in force.
    /// A .NET program that cannot start a thread fails with "Out of memory".
    /// </summary>
    public int TaskLimitRefusals { get; init; }

    /// <summary>The most processes of the run seen alive at the same time.</summary>
    public int PeakProcesses { get; init; }

    /// <summary>The memory limit that was in force for the run (bytes); null where none could be set.</summary>
    public long? MemoryLimit { get; init; }

    /// <summary>The most memory the run's processes used together, as the kernel counted it; null where unknown.</summary>
    public long? PeakMemory { get; init; }

    /// <summary>
    /// The run reached its memory limit: the kernel killed a process of it for want of memory, or its
    /// peak came within 30% of the limit (where .NET, which keeps its heap to 75% of the limit, throws
    /// an OutOfMemoryException).
    /// </summary>
    public bool MemoryLimitReached { get; init; }

    /// <summary>Who the program ran as, e.g. "uid 1000123456 in /tmp/kata-run-…"; null when it ran as this process's user.</summary>
    public string? Isolation { get; init; }

    /// <summary>How the run's processes were kept together and ended.</summary>
    public Containment Containment { get; init; } = new("none", "processes can only be contained on Linux");
    public required IReadOnlyList<OutputLine> Stdout { get; init; }
    public required IReadOnlyList<OutputLine> Stderr { get; init; }
    public required IReadOnlyList<TimedInputSent> InputSent { get; init; }

    /// <summary>What the run's work service recorded of the work the program asked it for, in order of time.</summary>
    public required IReadOnlyList<SupportEvent> Events { get; init; }

    /// <summary>Requests to the work service that were not requests of its protocol.</summary>
    public required int MalformedEvents { get; init; }

    /// <summary>Work calls whose calling thread the kernel never showed waiting on the call (recorded with thread 0).</summary>
    public int UnattestedCalls { get; init; }

    /// <summary>Why calling threads were taken on the program's word in this run; null when the kernel attested them.</summary>
    public string? ThreadAttestationGap { get; init; }

    /// <summary>The main process and every process of its tree that was observed, in order of appearance.</summary>
    public required IReadOnlyList<ObservedProcess> Processes { get; init; }

    /// <summary>Processes of the run still alive after the main process exited (they were killed afterwards).</summary>
    public required IReadOnlyList<ObservedProcess> Orphans { get; init; }

    /// <summary>Processes of the run the harness could not kill. Empty unless something is badly wrong.</summary>
    public required IReadOnlyList<int> Survivors { get; init; }

    /// <summary>How processes were observed, and why not, when they could not be.</summary>
    public required Observation Observation { get; init; }

    public TimeSpan WallTime => MonotonicClock.Between(StartedAt, ExitedAt);

    public ObservedProcess? Root => Processes.FirstOrDefault(p => p.Pid == RootPid);

    /// <summary>Observed processes whose parent is the main process.</summary>
    public IEnumerable<ObservedProcess> ChildrenOfRoot => Processes.Where(p => p.ParentPid == RootPid);

    public string StdoutText => string.Join('\n', Stdout.Select(l => l.Text));
    public string StderrText => string.Join('\n', Stderr.Select(l => l.Text));
}

public sealed record OutputLine(long At, string Text);

/// <summary>
/// A line written to the program's stdin. <paramref name="At"/> is read just before the write, so any
/// output the line caused is stamped later than it, and a reply's latency is never negative.
/// </summary>
public sealed record TimedInputSent(long At, string Line)
{
    /// <summary>The line waited for an output line that never came, and was sent after <see cref="TimedInput.WaitAtMost"/>.</summary>
    public bool CueMissing { get; init; }
}

/// <summary>
/// One record of the run's work service (download-start, download-end, ...): the caller's pid from the
/// connection's peer credentials, its thread only when the kernel showed that thread waiting on the
/// call (0 otherwise: a call that blocks no thread, or a thread that was not the caller), the time on
/// the verifier's clock.
/// </summary>
public sealed record SupportEvent(string Event, string Name, int Pid, int Tid, long At)
{
    /// <summary>For compute-end and compute-unpaid: the processor time the kernel counted for the thread during the chunk.</summary>
    public long? CpuNanoseconds { get; init; }

    /// <summary>
    /// The id .NET gave the calling thread (Environment.CurrentManagedThreadId), as the support library
    /// running on that attested thread reported it; 0 when the thread was not attested.
    /// </summary>
    public int ManagedThreadId { get; init; }

    /// <summary>
    /// The support library reported the call as made from inside a running Task's code (Task.Run,
    /// a LongRunning task): the work ran on a thread the runtime's task scheduler owns, whatever its name.
    /// </summary>
    public bool InTask { get; init; }
}

public sealed record ObservedProcess
{
    public required int Pid { get; init; }

    /// <summary>
    /// The parent when first seen: an orphan keeps the parent that started it, not the one it was
    /// re-parented to. A process whose parent had already exited when it was first seen (between two
    /// polls) shows the harness's own pid, the subreaper it was re-parented to.
    /// </summary>
    public required int ParentPid { get; init; }

    /// <summary>
    /// The command line as last seen (after any exec). Empty for a process known only from the
    /// kernel's fork event, gone before it could be read.
    /// </summary>
    public required IReadOnlyList<string> CommandLine { get; init; }

    /// <summary>The session as last seen (a process that called setsid() shows its own session).</summary>
    public required int SessionId { get; init; }

    /// <summary>When the kernel started the process, in clock ticks since boot (/proc stat field 22). With the pid it names one process: pids are reused, this pair is not.</summary>
    public long StartTicks { get; init; }
    public required long FirstSeen { get; init; }

    /// <summary>The last moment the process was seen alive.</summary>
    public required long LastSeen { get; init; }

    /// <summary>When it was first seen gone (or a zombie); null while it was still running when observation stopped.</summary>
    public required long? ExitSeen { get; init; }

    /// <summary>The exit code, as the kernel reported the exit (kernel events only); null when unknown or killed by a signal.</summary>
    public int? ExitCode { get; init; }

    /// <summary>The signal that ended the process, as the kernel reported the exit; null when it exited by itself or it is unknown.</summary>
    public int? KilledBySignal { get; init; }

    /// <summary>True when the kernel reported how the process ended (so <see cref="ExitCode"/> or <see cref="KilledBySignal"/> is set).</summary>
    public bool ExitKnown => ExitCode is not null || KilledBySignal is not null;

    public required TimeSpan CpuTime { get; init; }
    public required IReadOnlyList<ObservedThread> Threads { get; init; }

    /// <summary>
    /// The most OS threads the process was seen to have at the same time (runtime threads included);
    /// 0 when it was never read. Read at every poll, so a thread that lived shorter than the poll
    /// interval may be missed.
    /// </summary>
    public int PeakThreadCount { get; init; }

    /// <summary>
    /// The id of every thread the process was known to have: polled, or reported by the kernel as it
    /// was created (see <see cref="AllThreadsSeen"/>). The main thread's id is the pid.
    /// </summary>
    public IReadOnlyList<int> ThreadIds { get; init; } = [];

    /// <summary>
    /// True when <see cref="ThreadIds"/> holds every thread the process ever had: the kernel reported
    /// its birth and each thread as it was created, and dropped no event. Polling alone may miss a
    /// thread that lived shorter than a poll.
    /// </summary>
    public bool AllThreadsSeen { get; init; }

    /// <summary>The process's first thread, whose thread id is the pid; null when it was never seen.</summary>
    public ObservedThread? MainThread => Threads.FirstOrDefault(t => t.Tid == Pid);

    /// <summary>Threads the program itself started: neither the main thread nor one of the runtime's own.</summary>
    public IEnumerable<ObservedThread> ProgramThreads => Threads.Where(t => t.Tid != Pid && !t.IsRuntimeThread);

    /// <summary>The thread with OS thread id <paramref name="tid"/>; null when it was never seen.</summary>
    public ObservedThread? ThreadWithId(int tid) => Threads.FirstOrDefault(t => t.Tid == tid);

    public string Executable => CommandLine.Count > 0 ? Path.GetFileName(CommandLine[0]) : "?";

    public string Describe() => $"pid {Pid} ({string.Join(' ', CommandLine.Take(4))})";
}

public sealed record ObservedThread(int Tid, string Name, long FirstSeen, long LastSeen, TimeSpan CpuTime)
{
    /// <summary>The prefix .NET gives the names of the threads it starts for itself (".NET TP Worker", ".NET Finalizer", ...).</summary>
    public const string RuntimeNamePrefix = ".NET ";

    /// <summary>The kernel keeps at most this many characters of a thread's name (/proc/&lt;pid&gt;/task/&lt;tid&gt;/comm).</summary>
    public const int MaxNameLength = 15;

    /// <summary>The process's first thread (its thread id is the pid), the one that runs Main.</summary>
    public bool IsMainThread { get; init; }

    /// <summary>
    /// A thread the .NET runtime started for itself: thread-pool workers (which also run Task.Run and
    /// await continuations), the finalizer, the tiered compiler, the signal handler, ... . The runtime
    /// names them ".NET ...". A thread the program starts without a name carries the name of the
    /// thread that started it (usually the process name), so it counts as the program's own.
    /// </summary>
    public bool IsRuntimeThread => Name.StartsWith(RuntimeNamePrefix, StringComparison.Ordinal);

    /// <summary>True when <paramref name="name"/>, cut to the kernel's 15 characters, is this thread's name.</summary>
    public bool HasName(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return Name == (name.Length > MaxNameLength ? name[..MaxNameLength] : name);
    }

    /// <summary>
    /// How long the thread had been runnable (on a CPU or waiting for one) at each poll where that
    /// changed, from the kernel's scheduler statistics; empty where the kernel does not keep them.
    /// Unlike CPU time, runnable time does not shrink on a loaded machine: a busy loop is runnable all
    /// along, a waiting thread is asleep.
    /// </summary>
    public IReadOnlyList<RunnableSample> RunnableSamples { get; init; } = [];

    /// <summary>How long the thread was runnable between two clock readings; null when not known.</summary>
    public TimeSpan? RunnableBetween(long from, long to)
    {
        if (RunnableSamples.Count == 0)
        {
            return null;
        }
        return MonotonicClock.Between(RunnableAt(from), RunnableAt(to));
    }

    private long RunnableAt(long at)
    {
        var value = 0L;
        foreach (var sample in RunnableSamples)
        {
            if (sample.At > at)
            {
                break;
            }
            value = sample.Nanoseconds;
        }
        return value;
    }
}

/// <summary>The thread's total runnable time, in nanoseconds, as read at <paramref name="At"/>.</summary>
public sealed record RunnableSample(long At, long Nanoseconds);

/// <param name="Method">"proc-connector+proc-poll" (kernel process events and /proc polling), "proc-poll", or "none" where the platform has no /proc.</param>
/// <param name="SkipReason">Why processes could not be observed; null when they were.</param>
public sealed record Observation(string Method, string? SkipReason, int Polls)
{
    public bool Available => SkipReason is null;

    /// <summary>
    /// True when every observed process of the run has <see cref="ObservedProcess.AllThreadsSeen"/>:
    /// the kernel reported each thread as it was created, and no event was dropped. Polling alone may
    /// miss a thread that lived shorter than a poll.
    /// </summary>
    public bool AllThreadsSeen { get; init; }
}

/// <param name="Method">
/// What held the run's processes: "cgroup v1 pids.max 1024 + cgroup v2 cgroup.kill", or
/// "process group + session + run marker" where no cgroup could be made.
/// </param>
/// <param name="FallbackReason">Why a cgroup (or part of one) could not be used; null when nothing was missing.</param>
public sealed record Containment(string Method, string? FallbackReason)
{
    public const string WithoutCgroup = "process group + session + run marker";

    /// <summary>Where /usr/bin/setsid is missing, the program shares this process's group and session.</summary>
    public const string WithoutSession = "observed processes + run marker";
}
