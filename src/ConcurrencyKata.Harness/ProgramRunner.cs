using CliWrap;
using ConcurrencyKata.Harness.Work;

namespace ConcurrencyKata.Harness;

/// <summary>Runs a program under observation and returns what was seen. The seam specs and the tool depend on.</summary>
public interface IProgramRunner
{
    Task<RunRecord> RunAsync(RunRequest request, CancellationToken cancellationToken = default);
}

/// <summary>
/// Starts a built program directly (apphost, or <c>dotnet app.dll</c>; never <c>dotnet run</c>) through
/// CliWrap, in a session of its own and, where this process may make them, in cgroups of its own
/// (<see cref="RunCgroup"/>: a task limit and a kill switch), with a unique run marker in its
/// environment; observes its process tree and stops a fork storm beyond
/// <see cref="RunRequest.ProcessLimit"/>; time-boxes it; and afterwards kills whatever of the run is
/// still alive: the cgroup, the process group, every observed process and every process carrying the marker.
/// </summary>
public sealed class ProgramRunner : IProgramRunner
{
    public const string MarkerVariable = "KATA_RUN_MARKER";

    private const string SetsidPath = "/usr/bin/setsid";
    private const string ShellPath = "/bin/sh";

    /// <summary>
    /// Joins the run's cgroups (the cgroup.procs files before "--"), then execs the rest in place: the
    /// program is in its cgroups before it runs a single instruction, so not even its first fork escapes.
    /// </summary>
    private const string JoinCgroups =
        "for f; do [ \"$f\" = -- ] && break; { echo $$ > \"$f\"; } 2>/dev/null; shift; done; shift; exec \"$@\"";
    private static readonly TimeSpan CleanupLimit = TimeSpan.FromSeconds(5);
    private static readonly Lazy<bool> Subreaper = new(Native.TryBecomeSubreaper);

    /// <summary>
    /// Output lines are stamped by thread-pool continuations as they arrive. Whoever runs the specs
    /// blocks a pool thread or two while a program runs, and on a 2-core machine the pool's floor is
    /// 2 threads, past which it adds one about every half second: lines would be stamped late by
    /// that much. A higher floor keeps stamps within milliseconds of the write.
    /// </summary>
    private static readonly Lazy<bool> PoolFloor = new(() =>
    {
        const int Floor = 32;
        ThreadPool.GetMinThreads(out var workers, out var io);
        return workers >= Floor || ThreadPool.SetMinThreads(Floor, Math.Max(io, Floor));
    });

    /// <summary>Why programs run as this process's own user here (not root, no setpriv); null when each run gets a user of its own.</summary>
    public static string? IsolationUnavailable => RunIsolation.Unavailable;

    /// <summary>True when orphans of started programs are re-parented to this process (Linux).</summary>
    public static bool OrphansReparentedHere => Subreaper.Value;

    public async Task<RunRecord> RunAsync(RunRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        CheckRunnable(request.ProgramPath);
        // Before the first program starts, or its first orphans go to init instead of here.
        _ = Subreaper.Value;
        _ = PoolFloor.Value;

        var marker = Guid.NewGuid().ToString("N");
        string? cgroupReason = null;
        if (!request.UseCgroups)
        {
            cgroupReason = "cgroups were turned off for this run";
        }
        // Whatever happens to this process, the guardian ends every process carrying the marker.
        using var markerGuard = ProcFs.Available ? Guardian.Marker($"{MarkerVariable}={marker}") : null;
        using var cgroup =
            ProcFs.Available && request.UseCgroups
                ? RunCgroup.TryCreate(marker, request.TaskLimit, request.MemoryLimitBytes, out cgroupReason)
                : null;
        using var isolation =
            request.Isolate && ProcFs.Available && RunIsolation.Unavailable is null
                ? RunIsolation.Create(request.ProgramPath, marker)
                : null;
        await using var service = WorkService.Start(marker, request.Work);
        using var kill = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var flooded = 0;
        void OnFlood()
        {
            if (Interlocked.Exchange(ref flooded, 1) == 0)
            {
                try
                {
                    kill.Cancel();
                }
                catch (ObjectDisposedException) { } // the run was already over
            }
        }
        var stdout = new LineCollector(request.OutputLimitBytes, OnFlood);
        var stderr = new LineCollector(request.OutputLimitBytes, OnFlood);
        var rootGone = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var input = new InputFeeder(request, rootGone.Task, stdout);

        var useSession = ProcFs.Available && File.Exists(SetsidPath);
        var command = BuildCommand(request, useSession, cgroup, isolation)
            .WithEnvironmentVariables(env =>
            {
                var locale = request.Culture.Replace('-', '_') + ".UTF-8";
                env.Set("LANG", locale).Set("LC_ALL", locale);
                if (isolation is not null)
                {
                    env.Set("HOME", isolation.WorkingDirectory).Set("TMPDIR", isolation.WorkingDirectory);
                }
                env.Set(request.Environment);
                env.Set(MarkerVariable, marker);
                env.Set(WorkService.AddressVariable, service.Address);
            })
            .WithWorkingDirectory(
                request.WorkingDirectory
                    ?? isolation?.WorkingDirectory
                    ?? Path.GetDirectoryName(Path.GetFullPath(request.ProgramPath))!
            )
            .WithStandardInputPipe(input.Source)
            .WithStandardOutputPipe(stdout)
            .WithStandardErrorPipe(stderr)
            .WithValidation(CommandResultValidation.None);

        var startedAt = MonotonicClock.Now;
        var task = OwnChildren.Start(() => command.ExecuteAsync(kill.Token));
        var rootPid = task.ProcessId;
        using var sessionGuard = useSession ? Guardian.Session(rootPid) : null;
        service.RootPid = rootPid;
        // Read at once: the main process is this process's child, so its pid cannot be reused before CliWrap reaps it.
        long? rootStartTicks = ProcFs.Available ? ProcFs.Stat(rootPid)?.StartTicks : null;
        input.Started(startedAt);
        // Declared before the observer, so that its processes leave the guardian's list after it stopped.
        using var processGuard = Guardian.Run(marker);
        using var observer = new ProcessTreeObserver(
            rootPid,
            useSession ? rootPid : null,
            marker,
            request.ObserveThreads,
            request.PollInterval,
            request.UseKernelEvents && ProcFs.Available,
            request.ProcessLimit
        );
        if (ProcFs.Available)
        {
            observer.Start();
        }
        // After the observer is watching: moving a process between cgroups can take the kernel a few
        // milliseconds (it waits for an RCU grace period), and the program is starting meanwhile.
        var containment = Contain(cgroup, cgroupReason, rootPid, useSession);

        var timedOut = false;
        // The main process's exit is what ends a run, not the end of its output: an orphan may hold
        // the pipes open for as long as it lives.
        var ended = ProcFs.Available ? Task.WhenAny(task, observer.RootExited) : (Task)task;
        // A fork storm ends the run as soon as it is seen, like a flood.
        var storm = ProcFs.Available ? observer.LimitReached : new TaskCompletionSource().Task;
        using var runOver = new CancellationTokenSource();
        var deadline = MonotonicClock.DelayUntil(MonotonicClock.After(startedAt, request.TimeLimit), runOver.Token);
        if (await Task.WhenAny(ended, deadline, storm, WhenCancelled(kill.Token)).ConfigureAwait(false) == deadline)
        {
            timedOut = !ended.IsCompleted;
        }
        var exitedAt = observer.RootExitSeen ?? MonotonicClock.Now;
        await runOver.CancelAsync().ConfigureAwait(false);

        var stormed = storm.IsCompleted;
        if (stormed)
        {
            // Before the last poll: every process more it starts is one more to kill.
            cgroup?.Kill();
        }
        observer.Stop();
        var stopped = timedOut || flooded == 1 || stormed || kill.IsCancellationRequested;
        var orphans = stopped ? [] : OrphansOf(observer, rootPid, marker, cgroup);
        // Before the clean-up's own kills, which must not count; the group lasts until the end of this method.
        var refusals = cgroup?.TaskLimitRefusals() ?? 0;
        var peakMemory = cgroup?.PeakMemory();
        var memoryReached =
            cgroup?.MemoryLimit is { } memoryLimit
            && (cgroup.OutOfMemoryKills() > 0 || peakMemory >= memoryLimit / 10 * 7);
        var survivors = Reaper.KillRun(observer, (rootPid, rootStartTicks), useSession, marker, cgroup, CleanupLimit);
        // Only now: a program stopped at the time limit must not see its input end first.
        rootGone.TrySetResult();

        // Everything of the run is dead now, so the pipes close and CliWrap finishes reading the
        // output and reaps the main process. Cancelling before this would lose the exit code.
        int? exitCode = null;
        try
        {
            var result = await task.Task.WaitAsync(CleanupLimit, CancellationToken.None).ConfigureAwait(false);
            exitCode = result.ExitCode;
        }
        catch (OperationCanceledException) { }
        catch (TimeoutException)
        {
            await kill.CancelAsync().ConfigureAwait(false);
        }
        if (timedOut || flooded == 1 || stormed)
        {
            exitCode = null;
        }

        cancellationToken.ThrowIfCancellationRequested();
        var processes = observer.Snapshot();
        // Every process of the run is dead, so every call is over: nothing more can be recorded.
        var events = await service.StopAsync().ConfigureAwait(false);
        return new RunRecord
        {
            Request = request,
            Marker = marker,
            RootPid = rootPid,
            Program = isolation?.ProgramPath ?? Path.GetFullPath(request.ProgramPath),
            ExitCode = exitCode,
            StartedAt = startedAt,
            ExitedAt = exitedAt,
            TimedOut = timedOut,
            OutputFlooded = flooded == 1,
            ProcessLimitExceeded = stormed,
            TaskLimitRefusals = refusals,
            PeakProcesses = observer.PeakProcesses,
            MemoryLimit = cgroup?.MemoryLimit,
            PeakMemory = peakMemory,
            MemoryLimitReached = memoryReached,
            Isolation = isolation?.Describe(),
            Containment = containment,
            Stdout = stdout.Lines,
            Stderr = stderr.Lines,
            InputSent = input.Sent,
            Events = events,
            MalformedEvents = service.Malformed,
            UnattestedCalls = service.Unattested,
            ThreadAttestationGap = WorkService.ThreadAttestationGap,
            Processes = processes,
            Orphans = [.. processes.Where(p => orphans.Contains(p.Pid))],
            Survivors = survivors,
            Observation = ProcFs.Available
                ? new Observation(
                    observer.UsesKernelEvents ? "proc-connector+proc-poll" : "proc-poll",
                    null,
                    observer.Polls
                )
                {
                    AllThreadsSeen = processes.Count > 0 && processes.All(p => p.AllThreadsSeen),
                }
                : new Observation("none", "processes can only be observed on Linux (/proc)", 0),
        };
    }

    /// <summary>Fails early and clearly, instead of leaving it to a failed exec inside setsid (exit code 126).</summary>
    private static void CheckRunnable(string path)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"The program to run does not exist: {path}", path);
        }
        const UnixFileMode anyExecute =
            UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute;
        if (
            !OperatingSystem.IsWindows()
            && !path.EndsWith(".dll", StringComparison.OrdinalIgnoreCase)
            && (File.GetUnixFileMode(path) & anyExecute) == 0
        )
        {
            throw new InvalidOperationException(
                $"The program to run is not executable: {path} (build it, or run its .dll through the dotnet host)"
            );
        }
    }

    /// <summary>
    /// Puts the main process in the run's cgroups (again: the shell that became the program joined them
    /// before exec) and says what contains the run. Where it cannot be moved, the run is contained
    /// without a cgroup, and the reason is kept.
    /// </summary>
    private static Containment Contain(RunCgroup? cgroup, string? reason, int rootPid, bool useSession)
    {
        if (!ProcFs.Available)
        {
            return new Containment("none", "processes can only be contained on Linux");
        }
        var rest = useSession ? Containment.WithoutCgroup : Containment.WithoutSession;
        if (cgroup is null)
        {
            return new Containment(rest, reason);
        }
        if (!cgroup.TryAdd(rootPid, out var problem) && ProcFs.Stat(rootPid) is { IsZombie: false })
        {
            return new Containment(rest, problem);
        }
        return new Containment(cgroup.Method + " + " + rest, reason);
    }

    private static Command BuildCommand(RunRequest request, bool useSession, RunCgroup? cgroup, RunIsolation? isolation)
    {
        var target = new List<string>();
        var program = isolation?.ProgramPath ?? Path.GetFullPath(request.ProgramPath);
        if (program.EndsWith(".dll", StringComparison.OrdinalIgnoreCase))
        {
            target.Add(DotnetHost.Path);
        }
        target.Add(program);
        target.AddRange(request.Arguments);
        // setsid execs in place (the child is not a group leader), so the program keeps the pid we
        // started and gets a session and process group of its own that can be killed as one.
        if (useSession)
        {
            target.Insert(0, SetsidPath);
        }
        // setpriv too: the user changes after the shell below joined the cgroups, which needs root.
        if (isolation is not null)
        {
            target.InsertRange(0, isolation.Prefix());
        }
        if (cgroup is not null && File.Exists(ShellPath))
        {
            // The shell execs in place too: the pid stays the program's.
            return Cli.Wrap(ShellPath)
                .WithArguments(["-c", JoinCgroups, "kata-run", .. cgroup.ProcsFiles, "--", .. target]);
        }
        return Cli.Wrap(target[0]).WithArguments(target.Skip(1));
    }

    private static HashSet<int> OrphansOf(ProcessTreeObserver observer, int rootPid, string marker, RunCgroup? cgroup)
    {
        foreach (var pid in Reaper.PidsWithMarker(marker).Concat(cgroup?.Members() ?? []))
        {
            if (pid != rootPid)
            {
                observer.Adopt(pid);
            }
        }
        return [.. observer.Alive().Where(p => p.Pid != rootPid).Select(p => p.Pid)];
    }

    private static Task WhenCancelled(CancellationToken token) =>
        Task.Delay(Timeout.Infinite, token).ContinueWith(_ => { }, TaskScheduler.Default);
}
