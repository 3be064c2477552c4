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
    private static readonly bool IsSubreaper = Native.TryBecomeSubreaper();

    /// <summary>True when orphans of started programs are re-parented to this process (Linux).</summary>
    public static bool OrphansReparentedHere => IsSubreaper;

    public async Task<RunRecord> RunAsync(RunRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!File.Exists(request.ProgramPath))
        {
            throw new FileNotFoundException($"The program to run does not exist: {request.ProgramPath}");
        }

        var marker = Guid.NewGuid().ToString("N");
        var eventsPath = Path.Combine(Path.GetTempPath(), $"kata-{marker}.events.jsonl");
        using var kill = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var flooded = false;
        void OnFlood()
        {
            flooded = true;
            kill.Cancel();
        }
        var stdout = new LineCollector(request.OutputLimitBytes, OnFlood);
        var stderr = new LineCollector(request.OutputLimitBytes, OnFlood);
        var rootGone = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var input = new InputFeeder(request, rootGone.Task);

        var useSession = ProcFs.Available && File.Exists(SetsidPath);
        var command = BuildCommand(request, useSession)
            .WithEnvironmentVariables(env =>
            {
                env.Set(request.Environment);
                env.Set(MarkerVariable, marker);
                env.Set(EventsVariable, eventsPath);
            })
            .WithWorkingDirectory(request.WorkingDirectory ?? Path.GetDirectoryName(Path.GetFullPath(request.ProgramPath))!)
            .WithStandardInputPipe(input.Source)
            .WithStandardOutputPipe(stdout)
            .WithStandardErrorPipe(stderr)
            .WithValidation(CommandResultValidation.None);

        var startedAt = MonotonicClock.Now;
        var task = command.ExecuteAsync(kill.Token);
        var rootPid = task.ProcessId;
        input.Started(startedAt);
        using var observer = new ProcessTreeObserver(
            rootPid,
            useSession ? rootPid : null,
            request.ObserveThreads,
            request.PollInterval
        );
        if (ProcFs.Available)
        {
            observer.Start();
        }

        var timedOut = false;
        var deadline = Task.Delay(request.TimeLimit, CancellationToken.None);
        var ended = ProcFs.Available ? Task.WhenAny(task, observer.RootExited) : (Task)task;
        if (await Task.WhenAny(ended, deadline, WhenCancelled(kill.Token)).ConfigureAwait(false) == deadline)
        {
            timedOut = true;
        }
        var exitedAt = observer.RootExitSeen ?? MonotonicClock.Now;
        rootGone.TrySetResult();

        observer.Stop();
        var orphans = timedOut || flooded ? [] : OrphansOf(observer, rootPid, marker);
        if (timedOut)
        {
            await kill.CancelAsync().ConfigureAwait(false);
        }
        var survivors = Reaper.KillRun(observer, rootPid, useSession, marker, CleanupLimit);

        // With the tree gone every pipe is closed, so CliWrap completes; cancel only if it still hangs.
        int? exitCode = null;
        try
        {
            var result = await task.Task.WaitAsync(CleanupLimit, CancellationToken.None).ConfigureAwait(false);
            exitCode = timedOut || flooded ? null : result.ExitCode;
        }
        catch (OperationCanceledException) { }
        catch (TimeoutException)
        {
            await kill.CancelAsync().ConfigureAwait(false);
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
            OutputFlooded = flooded,
            Stdout = stdout.Lines,
            Stderr = stderr.Lines,
            InputSent = input.Sent,
            Events = events,
            MalformedEvents = malformed,
            Processes = processes,
            Orphans = [.. processes.Where(p => orphans.Contains(p.Pid))],
            Survivors = survivors,
            Observation = ProcFs.Available
                ? new Observation("proc-poll", null, observer.Polls)
                : new Observation("none", "processes can only be observed on Linux (/proc)", 0),
        };
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
