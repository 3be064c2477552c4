using CliWrap;

namespace ConcurrencyKata.Harness;

/// <summary>Runs a program under observation and returns what was seen. The seam specs and the tool depend on.</summary>
public interface IProgramRunner
{
    Task<RunRecord> RunAsync(RunRequest request, CancellationToken cancellationToken = default);
}

/// <summary>
/// Starts a built program directly (apphost, or <c>dotnet app.dll</c>; never <c>dotnet run</c>) through
/// CliWrap, in a session of its own, with a unique run marker in its environment; observes its
/// process tree; time-boxes it; and afterwards kills whatever of the run is still alive: the
/// process group, every observed process and every process carrying the marker.
/// </summary>
public sealed class ProgramRunner : IProgramRunner
{
    public const string MarkerVariable = "KATA_RUN_MARKER";
    public const string EventsVariable = "KATA_EVENTS";

    private const string SetsidPath = "/usr/bin/setsid";
    private static readonly TimeSpan CleanupLimit = TimeSpan.FromSeconds(5);
    private static readonly Lazy<bool> Subreaper = new(Native.TryBecomeSubreaper);

    /// <summary>True when orphans of started programs are re-parented to this process (Linux).</summary>
    public static bool OrphansReparentedHere => Subreaper.Value;

    public async Task<RunRecord> RunAsync(RunRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        CheckRunnable(request.ProgramPath);
        // Before the first program starts, or its first orphans go to init instead of here.
        _ = Subreaper.Value;

        var marker = Guid.NewGuid().ToString("N");
        var eventsPath = Path.Combine(Path.GetTempPath(), $"kata-{marker}.events.jsonl");
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
        var command = BuildCommand(request, useSession)
            .WithEnvironmentVariables(env =>
            {
                env.Set(request.Environment);
                env.Set(MarkerVariable, marker);
                env.Set(EventsVariable, eventsPath);
            })
            .WithWorkingDirectory(
                request.WorkingDirectory ?? Path.GetDirectoryName(Path.GetFullPath(request.ProgramPath))!
            )
            .WithStandardInputPipe(input.Source)
            .WithStandardOutputPipe(stdout)
            .WithStandardErrorPipe(stderr)
            .WithValidation(CommandResultValidation.None);

        var startedAt = MonotonicClock.Now;
        var task = command.ExecuteAsync(kill.Token);
        var rootPid = task.ProcessId;
        // Read at once: the main process is this process's child, so its pid cannot be reused before CliWrap reaps it.
        long? rootStartTicks = ProcFs.Available ? ProcFs.Stat(rootPid)?.StartTicks : null;
        input.Started(startedAt);
        using var observer = new ProcessTreeObserver(
            rootPid,
            useSession ? rootPid : null,
            marker,
            request.ObserveThreads,
            request.PollInterval,
            request.UseKernelEvents && ProcFs.Available
        );
        if (ProcFs.Available)
        {
            observer.Start();
        }

        var timedOut = false;
        // The main process's exit is what ends a run, not the end of its output: an orphan may hold
        // the pipes open for as long as it lives.
        var ended = ProcFs.Available ? Task.WhenAny(task, observer.RootExited) : (Task)task;
        using var runOver = new CancellationTokenSource();
        var deadline = MonotonicClock.DelayUntil(MonotonicClock.After(startedAt, request.TimeLimit), runOver.Token);
        if (await Task.WhenAny(ended, deadline, WhenCancelled(kill.Token)).ConfigureAwait(false) == deadline)
        {
            timedOut = !ended.IsCompleted;
        }
        var exitedAt = observer.RootExitSeen ?? MonotonicClock.Now;
        await runOver.CancelAsync().ConfigureAwait(false);

        observer.Stop();
        var stopped = timedOut || flooded == 1 || kill.IsCancellationRequested;
        var orphans = stopped ? [] : OrphansOf(observer, rootPid, marker);
        var survivors = Reaper.KillRun(observer, (rootPid, rootStartTicks), useSession, marker, CleanupLimit);
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
        if (timedOut || flooded == 1)
        {
            exitCode = null;
        }

        cancellationToken.ThrowIfCancellationRequested();
        var processes = observer.Snapshot();
        var (events, malformed) = EventFile.ReadAndDelete(eventsPath);
        return new RunRecord
        {
            Request = request,
            Marker = marker,
            RootPid = rootPid,
            ExitCode = exitCode,
            StartedAt = startedAt,
            ExitedAt = exitedAt,
            TimedOut = timedOut,
            OutputFlooded = flooded == 1,
            Stdout = stdout.Lines,
            Stderr = stderr.Lines,
            InputSent = input.Sent,
            Events = events,
            MalformedEvents = malformed,
            Processes = processes,
            Orphans = [.. processes.Where(p => orphans.Contains(p.Pid))],
            Survivors = survivors,
            Observation = ProcFs.Available
                ? new Observation(
                    observer.UsesKernelEvents ? "proc-connector+proc-poll" : "proc-poll",
                    null,
                    observer.Polls
                )
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

    private static Command BuildCommand(RunRequest request, bool useSession)
    {
        var target = new List<string>();
        if (request.ProgramPath.EndsWith(".dll", StringComparison.OrdinalIgnoreCase))
        {
            target.Add(DotnetHost.Path);
        }
        target.Add(Path.GetFullPath(request.ProgramPath));
        target.AddRange(request.Arguments);
        // setsid execs in place (the child is not a group leader), so the program keeps the pid we
        // started and gets a session and process group of its own that can be killed as one.
        return useSession
            ? Cli.Wrap(SetsidPath).WithArguments(target)
            : Cli.Wrap(target[0]).WithArguments(target.Skip(1));
    }

    private static HashSet<int> OrphansOf(ProcessTreeObserver observer, int rootPid, string marker)
    {
        foreach (var pid in Reaper.PidsWithMarker(marker))
        {
            observer.Adopt(pid);
        }
        return [.. observer.Alive().Where(p => p.Pid != rootPid).Select(p => p.Pid)];
    }

    private static Task WhenCancelled(CancellationToken token) =>
        Task.Delay(Timeout.Infinite, token).ContinueWith(_ => { }, TaskScheduler.Default);
}
