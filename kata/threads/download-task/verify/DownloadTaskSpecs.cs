using System.Globalization;
using System.Text.RegularExpressions;
using ConcurrencyKata.Harness;

namespace ConcurrencyKata.Specs.DownloadTask;

[Exercise("download-task")]
public sealed partial class DownloadTaskSpecs
{
    // Durations of 0.7–1.5 s, chosen against the join mistakes (Downloads.AgainstJoinMistakes).
    // Threads start within milliseconds of each other, even on a loaded machine, far below the
    // shortest download, so every download overlaps every other one; one after the other takes at
    // least 2.7 s longer than the longest download, a wide margin on either side of halfway.

    /// <summary>How long the program may take to exit after its last download finished.</summary>
    private static readonly TimeSpan ExitLag = TimeSpan.FromMilliseconds(500);

    private DownloadPlan _plan = null!;
    private RunRecord _run = null!;
    private IReadOnlyList<DownloadSpan> _spans = [];

    [OneTimeSetUp]
    public async Task RunTheProgram()
    {
        _plan = Downloads.AgainstJoinMistakes();
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
    public void Runs_in_a_single_process()
    {
        Runs.Finished(_run);
        var elsewhere = _run.Events.Where(e => e.Pid != _run.RootPid).ToList();
        Explain.That(
            elsewhere.Count == 0,
            $"every download made by your program's own process (pid {_run.RootPid})",
            () =>
                "these downloads ran in another process: "
                + string.Join(", ", elsewhere.Select(e => $"{e.Name} in pid {e.Pid}").Distinct()),
            "threads live inside one process: start a new Thread for each file instead of a worker process"
        );
        Runs.NeedsObservation(_run);
        var children = _run.Processes.Where(p => p.Pid != _run.RootPid).ToList();
        Explain.That(
            children.Count == 0,
            $"no child process: one process (pid {_run.RootPid}) with several threads",
            () => $"{children.Count} child process(es): " + string.Join("; ", children.Select(c => c.Describe())),
            "this exercise uses threads (new Thread(...)), not Process.Start"
        );
    }

    [Test]
    public void Downloads_each_file_on_a_thread_of_its_own()
    {
        Runs.Finished(_run);
        EveryDownloadFinished();
        var expected =
            $"{_plan.Files.Count} different threads that your program started, one per file, none of them the main thread";
        var onMain = _spans.Where(s => s.Tid == _run.RootPid).ToList();
        Explain.That(
            onMain.Count == 0,
            expected,
            () =>
                "these files were downloaded by your main thread itself: "
                + string.Join(", ", onMain.Select(s => s.Name)),
            "call Kata.Download in the method DownloadTask's thread runs, not in the constructor or in Main: the constructor runs on the thread that creates the DownloadTask"
        );
        var shared = Threads
            .ByThread(_spans)
            .Where(g => g.Value.Count > 1)
            .Select(g => $"{Threads.Describe(_run, g.Key)} downloaded {string.Join(", ", g.Value.Select(s => s.Name))}")
            .ToList();
        Explain.That(
            shared.Count == 0,
            expected,
            () => "one thread downloaded several files: " + string.Join("; ", shared),
            "one DownloadTask per file, each creating its own new Thread"
        );
        var inTasks = _spans.Where(s => s.InTask).Select(s => s.Name).ToList();
        Explain.That(
            inTasks.Count == 0,
            expected,
            () =>
                "these files were downloaded inside a Task (Task.Run or Task.Factory.StartNew), on a thread the runtime owns: "
                + string.Join(", ", inTasks),
            "start a thread of your own with new Thread(...) and Start(); a Task, even a LongRunning one, is the runtime's, whatever you name its thread"
        );
        Runs.NeedsObservation(_run);
        var notYours = _spans
            .Where(s => _run.Root?.ThreadWithId(s.Tid) is { IsRuntimeThread: true })
            .Select(s => $"{s.Name} on {Threads.Describe(_run, s.Tid)}")
            .ToList();
        Explain.That(
            notYours.Count == 0,
            expected,
            () => "these files were downloaded on threads your program did not start: " + string.Join("; ", notYours),
            "DownloadTask owns a new Thread(...) that its Start() starts; Task.Run would hand the work to the runtime's thread pool"
        );
    }

    [Test]
    public void Names_each_download_thread_after_its_file()
    {
        Runs.Finished(_run);
        EveryDownloadFinished();
        var root = Threads.Root(_run);
        foreach (var span in _spans)
        {
            var required = ThreadName(span.Name);
            var kept = Threads.KernelName(required);
            var thread = root.ThreadWithId(span.Tid);
            var named = root.Threads.Where(t => t.HasName(required)).ToList();
            Explain.That(
                thread is not null && thread.HasName(required),
                $"\"{span.Name}\" downloaded on a thread named \"{required}\" (the OS keeps the first 15 characters: \"{kept}\")",
                () =>
                    $"\"{span.Name}\" was downloaded on {Threads.Describe(_run, span.Tid)}"
                    + (
                        named.Count > 0
                            ? $"; the thread named \"{kept}\" is thread {named[0].Tid.ToString(CultureInfo.InvariantCulture)}, which did not download it"
                            : $"; no thread named \"{kept}\" was seen"
                    )
                    + $". Threads of your program: {Threads.DescribeProgramThreads(_run)}",
                span.Tid == _run.RootPid
                        ? "the download ran in Main's thread: DownloadTask's constructor runs on the thread that creates it, so it may only prepare the thread (new Thread(Run) { Name = \"dl-\" + file }); Run does the download, on the new thread, after Start()"
                    : named.Count > 0
                        ? "the download must run in the method the named thread runs (Run), started by Start()"
                    : "give the thread its name when DownloadTask creates it: new Thread(Run) { Name = \"dl-\" + file }"
            );
        }
    }

    [Test]
    public void Each_thread_prints_its_start_and_finish()
    {
        Runs.Finished(_run);
        EveryDownloadFinished();
        var lines = Specs.ThreadLines.Of(_run);
        foreach (var name in _plan.Names)
        {
            var start = lines.FirstOrDefault(l => l.Kind == "start" && l.Name == name);
            var finish = lines.FirstOrDefault(l => l.Kind == "finish" && l.Name == name);
            Explain.That(
                start is not null && finish is not null,
                $"the lines \"start {name} thread=<id>\" and \"finish {name} thread=<id>\"",
                () =>
                    (
                        start is null
                            ? $"no \"start {name} thread=...\" line. "
                            : $"no \"finish {name} thread=...\" line. "
                    ) + Runs.Transcript(_run),
                "DownloadTask's thread code: one line before Kata.Download and one after, in the README's format; and Join every task before Main ends"
            );
            Explain.That(
                start!.Thread == finish!.Thread,
                $"the same thread id in \"start {name}\" and \"finish {name}\"",
                $"thread={start.Thread.ToString(CultureInfo.InvariantCulture)} and thread={finish.Thread.ToString(CultureInfo.InvariantCulture)}",
                "print Environment.CurrentManagedThreadId in both lines, from the thread that downloads the file"
            );
        }
    }

    [Test]
    public void Each_line_comes_from_the_thread_that_downloads_the_file()
    {
        Runs.Finished(_run);
        EveryDownloadFinished();
        ThreadLines.ComeFromTheDownloadingThread(
            _run,
            _spans,
            "the method your DownloadTask's thread runs prints both lines, around its Kata.Download, with Environment.CurrentManagedThreadId read in that thread (not in the constructor or in Main)"
        );
    }

    [Test]
    public void Downloads_run_at_the_same_time()
    {
        Runs.Finished(_run);
        EveryDownloadFinished();
        var apart = Threads.Apart(_spans).Select(p => $"{Describe(p.First)} and {Describe(p.Second)}").ToList();
        Explain.That(
            apart.Count == 0,
            "all downloads in progress at the same time",
            () => "these downloads did not overlap at all: " + string.Join("; ", apart),
            "Start every DownloadTask first, in one loop, and Join them only afterwards, in a second loop; the download itself must run on the task's thread, not in its constructor"
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
            "the downloads must run in parallel, each on its DownloadTask's thread: Start all tasks before joining any of them"
        );
    }

    [Test]
    public void Prints_the_total_after_every_download_finished()
    {
        Runs.Finished(_run);
        var total = Totals.Line(_run);
        Explain.That(
            total is not null,
            "a line \"total <seconds> s\"",
            () => "no total line. " + Runs.Transcript(_run),
            "print the total once, at the end of Main"
        );
        EveryDownloadFinished(owner: true);
        var lastEnd = _spans.Max(s => s.End);
        var lastFinish = Specs
            .ThreadLines.Of(_run)
            .Where(l => l.Kind == "finish")
            .Select(l => l.At)
            .DefaultIfEmpty(lastEnd)
            .Max();
        Explain.That(
            total!.At >= lastEnd && total.At >= lastFinish,
            "the total printed after the last thread finished its download",
            $"the total was printed at {Runs.At(_run, total.At)}, the last download finished at {Runs.At(_run, Math.Max(lastEnd, lastFinish))}",
            "Join every DownloadTask before printing the total"
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
            "start a Stopwatch before the first DownloadTask is created and read it after the last one has been joined"
        );
    }

    [Test]
    public void Exits_soon_after_the_last_download()
    {
        Runs.Finished(_run);
        if (_spans.Count == 0)
        {
            Explain.NotJudged(
                "no download finished, so there is no last one to compare with (the checks above say why)"
            );
        }
        var exited = _run.Root?.ExitSeen ?? _run.ExitedAt;
        var lastEnd = _spans.Max(s => s.End);
        var idle = MonotonicClock.Between(lastEnd, exited);
        Explain.That(
            idle <= ExitLag,
            $"your program ends within {Runs.Seconds(ExitLag)} after its last download finished",
            $"the last download finished at {Runs.At(_run, lastEnd)}, your program ended only at {Runs.At(_run, exited)}: it idled {Runs.Seconds(idle)}",
            "wait for the tasks themselves (Join) rather than sleeping for a fixed time: the durations change on every run"
        );
    }

    /// <summary>The name each download's thread must carry.</summary>
    private static string ThreadName(string file) => "dl-" + file;

    /// <summary>Every file downloaded to the end; when Main ended mid-download, only the total's check says so.</summary>
    private void EveryDownloadFinished(bool owner = false) =>
        Downloads.EveryOneFinished(
            _run,
            _plan,
            _spans,
            "every thread must call Kata.Download(name), and Main must Join every thread before it ends: when Main returns, the process ends and takes unfinished background threads with it (the thread-pool threads behind Task.Run are background threads too)",
            owner ? null : "Prints the total after every download finished"
        );

    private string Describe(DownloadSpan span) =>
        $"{span.Name} ({Runs.At(_run, span.Start)} to {Runs.At(_run, span.End)})";
}
