using System.Globalization;
using System.Text.RegularExpressions;
using ConcurrencyKata.Harness;

namespace ConcurrencyKata.Specs.ProcessDownload;

[Exercise("process-download")]
public sealed partial class ProcessDownloadSpecs
{
    // Durations of 0.8–1.5 s. Workers start up to about half a second apart on a loaded machine
    // (a .NET process takes 0.1–0.5 s to reach Main), which must stay below the shortest download
    // for every download to overlap every other one. With three or more files, one after the other
    // takes at least 1.6 s longer than the longest download, so halfway between the two leaves at
    // least 0.8 s of margin on either side.
    private const int MinMs = 800;
    private const int MaxMs = 1500;

    /// <summary>How long the program may take to exit after its last child did.</summary>
    private static readonly TimeSpan ExitLag = TimeSpan.FromMilliseconds(500);

    /// <summary>A child counts as exited before its parent when seen gone at most this much later (the /proc poll interval, with room).</summary>
    private static readonly TimeSpan PollSlack = TimeSpan.FromMilliseconds(50);

    /// <summary>
    /// How long a thread of the main process may be runnable while the workers download: a moment to
    /// launch the last workers, plus a quarter of the waiting time. A loop polling HasExited is
    /// runnable all along, however busy the machine is.
    /// </summary>
    private static readonly TimeSpan RunnableBase = TimeSpan.FromMilliseconds(200);
    private const double RunnableShareWhileWaiting = 0.25;

    private DownloadPlan _plan = null!;
    private RunRecord _run = null!;
    private IReadOnlyList<DownloadSpan> _spans = [];

    [OneTimeSetUp]
    public async Task RunTheProgram()
    {
        _plan = LongestFirst(Downloads.Plan(3, 4, MinMs, MaxMs));
        var request = _plan.Apply(Learner.Request()) with
        {
            TimeLimit = TimeSpan.FromMilliseconds(_plan.SumMs + 10_000),
        };
        _run = await Learner.RunAsync(request);
        _spans = Downloads.Spans(_run);
    }

    [Test]
    public void Exits_with_code_zero() => Runs.ExitedWithZero(_run);

    [Test]
    public void Event_log_matches_what_the_system_saw() => Runs.EventLogMatchesTheSystem(_run);

    [Test]
    public void Starts_one_child_process_per_file()
    {
        Runs.Finished(_run);
        Runs.NeedsObservation(_run);
        var children = StartedByMain().ToList();
        var expected =
            $"{_plan.Files.Count} child processes of your program (pid {_run.RootPid}), one per file, each running your own program";
        Explain.That(
            children.Count > 0,
            expected,
            () =>
                $"no child process at all: everything ran inside the main process (pid {_run.RootPid}). {Runs.Transcript(_run)}",
            "start one worker per file with Process.Start(Kata.WorkerStartInfo(\"worker\", name))"
        );
        var strangers = children.Where(c => !RunsTheProgram(c)).ToList();
        Explain.That(
            strangers.Count == 0,
            expected,
            () => "these children run another program: " + string.Join("; ", strangers.Select(s => s.Describe())),
            "give Kata.WorkerStartInfo(...) to Process.Start as it is: no shell (/bin/sh -c) in between, no other program"
        );
        Explain.That(
            children.Count == _plan.Files.Count,
            expected,
            () =>
                $"{children.Count} child processes for {_plan.Files.Count} files: "
                + string.Join("; ", children.Select(c => c.Describe())),
            "the loop that starts the workers: exactly one Process.Start per file named on the command line"
        );
    }

    [Test]
    public void Each_worker_prints_its_own_process_id()
    {
        Runs.Finished(_run);
        EveryDownloadFinished();
        var lines = WorkerLines();
        foreach (var name in _plan.Names)
        {
            var start = lines.FirstOrDefault(l => l.Kind == "start" && l.Name == name);
            var finish = lines.FirstOrDefault(l => l.Kind == "finish" && l.Name == name);
            Explain.That(
                start is not null && finish is not null,
                $"the lines \"start {name} pid=<pid>\" and \"finish {name} pid=<pid>\", printed by the worker",
                () =>
                    (start is null ? $"no \"start {name} pid=...\" line. " : $"no \"finish {name} pid=...\" line. ")
                    + Runs.Transcript(_run),
                "the worker part of Program.cs: one line before Kata.Download and one after, in the README's format"
            );
            Explain.That(
                start!.Pid == finish!.Pid,
                $"the same pid in \"start {name}\" and \"finish {name}\"",
                $"pid={start.Pid.ToString(CultureInfo.InvariantCulture)} and pid={finish.Pid.ToString(CultureInfo.InvariantCulture)}",
                "both lines come from the worker that downloads the file; print Environment.ProcessId in both"
            );
            Explain.That(
                start.Pid != _run.RootPid,
                $"\"{name}\" downloaded by a worker process, whose pid differs from your main program's",
                $"pid={start.Pid.ToString(CultureInfo.InvariantCulture)}, which is your main program itself: the file was not downloaded in a child process",
                "start a worker process per file (Process.Start(Kata.WorkerStartInfo(\"worker\", name))) and let the worker call Kata.Download"
            );
            var downloader = _spans.FirstOrDefault(s => s.Name == name)?.Pid;
            Explain.That(
                downloader == start.Pid,
                $"pid={start.Pid.ToString(CultureInfo.InvariantCulture)} is the process that downloaded \"{name}\"",
                () =>
                    downloader is null
                        ? $"\"{name}\" was never downloaded to the end"
                        : $"\"{name}\" was downloaded by pid {downloader.Value.ToString(CultureInfo.InvariantCulture)}",
                "print Environment.ProcessId in the worker that calls Kata.Download, not a number computed elsewhere"
            );
        }
        Runs.NeedsObservation(_run);
        foreach (var name in _plan.Names)
        {
            var pid = lines.First(l => l.Name == name).Pid;
            var process = _run.Processes.FirstOrDefault(p => p.Pid == pid);
            Explain.That(
                process is not null && IsStartedByMain(process),
                $"the worker for \"{name}\" (pid {pid.ToString(CultureInfo.InvariantCulture)}) is a direct child of your program (pid {_run.RootPid})",
                () =>
                    process is null
                        ? $"the OS never saw a process with pid {pid.ToString(CultureInfo.InvariantCulture)} in your program's process tree"
                        : $"its parent is pid {process.ParentPid} ({ParentDescription(process)}), not your program",
                "start the worker itself with Process.Start(Kata.WorkerStartInfo(\"worker\", name)), not through a shell or another program"
            );
        }
    }

    [Test]
    public void Downloads_run_at_the_same_time()
    {
        Runs.Finished(_run);
        EveryDownloadFinished();
        var apart = _spans
            .SelectMany(
                (a, i) => _spans.Skip(i + 1).Where(b => !a.Overlaps(b)).Select(b => $"{Describe(a)} and {Describe(b)}")
            )
            .ToList();
        Explain.That(
            apart.Count == 0,
            "all downloads in progress at the same time",
            () => "these downloads did not overlap at all: " + string.Join("; ", apart),
            "start every worker first, in one loop, and wait for them only afterwards, in a second loop; a WaitForExit right after each Process.Start makes the downloads run one after the other"
        );
    }

    [Test]
    public void Downloads_finish_in_about_the_time_of_the_longest_one()
    {
        Runs.Finished(_run);
        EveryDownloadFinished();
        Downloads.FinishInAboutTheLongest(
            _run,
            _spans,
            "the downloads must run in parallel: start all workers before waiting for any of them"
        );
    }

    [Test]
    public void Prints_the_total_after_every_worker_finished()
    {
        Runs.Finished(_run);
        var total = TotalLine();
        EveryDownloadFinished();
        Explain.That(
            total is not null,
            "a line \"total <seconds> s\"",
            () => "no total line. " + Runs.Transcript(_run),
            "print the total once, at the end of the main program"
        );
        var lastEnd = _spans.Max(s => s.End);
        var lastFinish = WorkerLines().Where(l => l.Kind == "finish").Select(l => l.At).DefaultIfEmpty(lastEnd).Max();
        Explain.That(
            total!.At >= lastEnd && total.At >= lastFinish,
            "the total printed after the last worker finished its download",
            $"the total was printed at {Runs.At(_run, total.At)}, the last download finished at {Runs.At(_run, Math.Max(lastEnd, lastFinish))}",
            "wait for every worker (WaitForExit) before printing the total"
        );
    }

    [Test]
    public void Total_matches_the_measured_time()
    {
        Runs.Finished(_run);
        EveryDownloadFinished();
        Totals.MatchesMeasuredTime(
            _run,
            _spans,
            "start a Stopwatch before the first worker starts and read it after the last one has exited"
        );
    }

    [Test]
    public void Waits_for_every_child_before_exiting()
    {
        Runs.Finished(_run);
        Runs.NeedsObservation(_run);
        var exited = _run.Root?.ExitSeen ?? _run.ExitedAt;
        var late = Descendants()
            .Where(p => p.ExitSeen is null || p.ExitSeen > exited + Nanoseconds(PollSlack))
            .ToList();
        Explain.That(
            late.Count == 0,
            "every child process exits before your program does",
            () =>
                $"your program exited at {Runs.At(_run, exited)} while these children were still running: "
                + string.Join("; ", late.Select(p => p.Describe())),
            "after starting all workers, call WaitForExit() on every one of them before the main program ends"
        );
    }

    [Test]
    public void Leaves_no_orphans() => Runs.LeftNoOrphans(_run);

    [Test]
    public void Does_not_keep_a_processor_busy_while_waiting()
    {
        Runs.Finished(_run);
        var root = Threads.Root(_run);
        if (_spans.Count == 0)
        {
            Explain.NotJudged("no download finished, so there was no waiting to judge (the checks above say why)");
        }
        // While the workers download. Runnable rather than CPU time: a loop that keeps asking is
        // runnable all along, even when a busy machine gives it little CPU; a waiting program sleeps.
        var from = _spans.Min(s => s.Start);
        var to = _spans.Max(s => s.End);
        var busiest = Threads.BusiestBetween(root, from, to);
        if (busiest is null)
        {
            Explain.Skip("this system does not show how long each thread of your main process was busy");
        }
        var (thread, runnable) = busiest.Value;
        var window = MonotonicClock.Between(from, to);
        var allowed = RunnableBase + (window * RunnableShareWhileWaiting);
        Explain.That(
            runnable <= allowed,
            $"your main program asleep while the workers download ({Runs.Seconds(window)}): none of its threads running, or waiting for a CPU, for more than {Runs.Seconds(allowed)} of that time",
            $"its thread {thread.Tid} ({thread.Name}) was running or waiting for a CPU during {Runs.Seconds(runnable)} of those {Runs.Seconds(window)} (it used {Runs.Seconds(root.CpuTime)} of processor time in all): it kept a core busy while it waited",
            "wait with WaitForExit(), which sleeps until the child exits, instead of a loop that keeps asking HasExited"
        );
    }

    [Test]
    public void Exits_soon_after_the_last_child()
    {
        Runs.Finished(_run);
        Runs.NeedsObservation(_run);
        var exited = _run.Root?.ExitSeen ?? _run.ExitedAt;
        var ends = Descendants().Where(p => p.ExitSeen <= exited).Select(p => p.ExitSeen!.Value).ToList();
        if (ends.Count == 0)
        {
            Explain.NotJudged(
                "no child ended before your program did, so there is no last one to compare with (the checks above say why)"
            );
        }
        var lastChild = ends.Max();
        var idle = MonotonicClock.Between(lastChild, exited);
        Explain.That(
            idle <= ExitLag,
            $"your program ends within {Runs.Seconds(ExitLag)} after its last child exits",
            $"the last child exited at {Runs.At(_run, lastChild)}, your program only at {Runs.At(_run, exited)}: it idled {Runs.Seconds(idle)}",
            "wait for the workers themselves (WaitForExit) rather than sleeping for a fixed time: the durations change on every run"
        );
    }

    [Test]
    public void Each_file_is_downloaded_by_a_worker_of_its_own()
    {
        Runs.Finished(_run);
        EveryDownloadFinished();
        var shared = _spans
            .GroupBy(s => s.Pid)
            .Where(g => g.Count() > 1)
            .Select(g =>
                $"pid {g.Key.ToString(CultureInfo.InvariantCulture)} downloaded {string.Join(", ", g.Select(s => s.Name))}"
            )
            .ToList();
        Explain.That(
            shared.Count == 0,
            $"{_plan.Files.Count} different processes downloading, one file each",
            () => string.Join("; ", shared),
            "each worker downloads only the file it was started for: Kata.Download(args[1]) in the worker, nothing else"
        );
        var notWorkers = _spans
            .Where(s => _run.Processes.FirstOrDefault(p => p.Pid == s.Pid) is not { } p || !IsStartedByMain(p))
            .Select(s => $"{s.Name} by pid {s.Pid.ToString(CultureInfo.InvariantCulture)}")
            .ToList();
        Explain.That(
            notWorkers.Count == 0,
            "every file downloaded by a child process of your program",
            () => "downloaded elsewhere: " + string.Join("; ", notWorkers),
            "the parent only starts and waits; the download happens in the worker"
        );
    }

    [Test]
    public void Each_worker_prints_its_lines_when_they_happen()
    {
        Runs.Finished(_run);
        EveryDownloadFinished();
        var lines = WorkerLines();
        foreach (var span in _spans.OrderBy(s => s.Start))
        {
            var start = lines.FirstOrDefault(l => l.Kind == "start" && l.Name == span.Name);
            var finish = lines.FirstOrDefault(l => l.Kind == "finish" && l.Name == span.Name);
            Explain.That(
                start is not null && finish is not null && start.At < span.End && finish.At >= span.End,
                $"\"start {span.Name}\" printed before its download ended and \"finish {span.Name}\" after it ended ({Runs.At(_run, span.End)})",
                () =>
                    start is null || finish is null
                        ? $"no start or finish line for {span.Name}"
                        : $"\"start\" at {Runs.At(_run, start.At)}, \"finish\" at {Runs.At(_run, finish.At)}; the download ran from {Runs.At(_run, span.Start)} to {Runs.At(_run, span.End)}",
                "in the worker: print the start line, call Kata.Download, then print the finish line"
            );
        }
    }

    /// <summary>
    /// The first file named is the longest download and the last one the shortest, by more than a
    /// loaded machine's start-up skew: a parent that waits only for the last worker it started is
    /// then caught on every run, not only when that worker happens to finish last.
    /// </summary>
    private static DownloadPlan LongestFirst(DownloadPlan plan)
    {
        var files = plan.Files.OrderByDescending(f => f.Ms).ToList();
        files[0] = files[0] with { Ms = Learner.Milliseconds(MaxMs - 100, MaxMs) };
        files[^1] = files[^1] with { Ms = Learner.Milliseconds(MinMs, MinMs + 50) };
        return new DownloadPlan(files);
    }

    private static long Nanoseconds(TimeSpan span) => span.Ticks * 100;

    private void EveryDownloadFinished()
    {
        var missing = _plan.Names.Where(n => !_spans.Any(s => s.Name == n)).ToList();
        if (missing.Count > 0 && _run.Orphans.Count > 0)
        {
            Explain.NotJudged(
                $"your program exited while {_run.Orphans.Count.ToString(CultureInfo.InvariantCulture)} of its workers were still downloading, and the verifier stopped them (see \"Waits for every child before exiting\")"
            );
        }
        Explain.That(
            missing.Count == 0,
            $"a finished download for each of the {_plan.Files.Count} files: {string.Join(", ", _plan.Names)}",
            () => $"no finished download of {string.Join(", ", missing)}. {Runs.Transcript(_run)}",
            "every worker must call Kata.Download(name) and the main program must wait until the workers are done"
        );
    }

    private string Describe(DownloadSpan span) =>
        $"{span.Name} ({Runs.At(_run, span.Start)} to {Runs.At(_run, span.End)})";

    private IEnumerable<ObservedProcess> Descendants() => _run.Processes.Where(p => p.Pid != _run.RootPid);

    private IEnumerable<ObservedProcess> StartedByMain() => Descendants().Where(IsStartedByMain);

    /// <summary>
    /// A child of the main process. One that was re-parented before the OS was first seen to show it
    /// (its parent exited at once) still counts: it is in the run's session and its recorded parent is
    /// no process of the run, so only the main process can have started it.
    /// </summary>
    private bool IsStartedByMain(ObservedProcess process)
    {
        if (process.Pid == _run.RootPid)
        {
            return false;
        }
        if (process.ParentPid == _run.RootPid)
        {
            return true;
        }
        var root = _run.Root;
        return root is not null
            && process.SessionId == root.SessionId
            && !_run.Processes.Any(p => p.Pid == process.ParentPid);
    }

    private bool RunsTheProgram(ObservedProcess process)
    {
        // The apphost, or "dotnet <program>.dll": the same program either way.
        var program = Path.GetFileNameWithoutExtension(_run.Request.ProgramPath);
        return process
            .CommandLine.Take(2)
            .Any(a =>
                Path.GetFileName(a) == program
                || (
                    a.EndsWith(".dll", StringComparison.OrdinalIgnoreCase)
                    && Path.GetFileNameWithoutExtension(a) == program
                )
            );
    }

    private string ParentDescription(ObservedProcess process) =>
        _run.Processes.FirstOrDefault(p => p.Pid == process.ParentPid)?.Describe() ?? "a process outside your program";

    private List<WorkerLine> WorkerLines() =>
        [
            .. _run
                .Stdout.Select(l => (Line: l, Match: WorkerPattern().Match(l.Text)))
                .Where(x => x.Match.Success)
                .Select(x => new WorkerLine(
                    x.Match.Groups[1].Value,
                    x.Match.Groups[2].Value,
                    int.Parse(x.Match.Groups[3].Value, CultureInfo.InvariantCulture),
                    x.Line.At
                )),
        ];

    private OutputLine? TotalLine() => Totals.Line(_run);

    private sealed record WorkerLine(string Kind, string Name, int Pid, long At);

    [GeneratedRegex(@"^\s*(start|finish)\s+(\S+)\s+pid=([0-9]{1,9})\s*$")]
    private static partial Regex WorkerPattern();
}
