using ConcurrencyKata.Harness;

namespace ConcurrencyKata.Specs.AsyncDownloads;

/// <summary>
/// Runs the program once with 800–1200 downloads of 0.8–1.2 s each (a few chosen ones 0.5–1.5 s).
/// The cases to tell apart are far from each other: awaited together, the downloads end about one
/// download after the first one started (1–3 s; about 5 s for a thousand threads on a 2-core machine
/// loaded 18 times over); one after another they would take over ten minutes; a thread pool starved by
/// blocking downloads finishes a few dozen in 10 s. The time allowed lies far between.
/// The thread limit is as far from both sides: awaiting needs a dozen or two OS threads in all, a thread
/// per download hundreds at once (more than 500 seen under that load), and a starved pool adds a
/// thread only every second or so (6 threads in 11 s seen under that load).
/// </summary>
[Exercise("async-downloads")]
public sealed class AsyncDownloadsSpecs
{
    private const int MinCount = 800;
    private const int MaxCount = 1200;
    private const int MinMs = 800;
    private const int MaxMs = 1200;
    private const int ChosenFiles = 5;
    private const int ChosenMinMs = 500;
    private const int ChosenMaxMs = 1500;

    /// <summary>The most OS threads the process may have at once, the runtime's own included.</summary>
    private const int ThreadLimit = 100;

    /// <summary>The run's cgroup task limit: a thread for every download and the runtime's own, with room to spare.</summary>
    private const int TaskLimit = 2 * MaxCount + 256;

    /// <summary>Beyond the longest download: starting a thousand downloads on a busy machine, and nothing close to one after another.</summary>
    private static readonly TimeSpan Allowance = TimeSpan.FromSeconds(10);

    /// <summary>Beyond the longest download, when the program is stopped: time enough to exit after a late last download.</summary>
    private static readonly TimeSpan Grace = TimeSpan.FromSeconds(15);

    private DownloadBatch _batch = null!;
    private RunRecord _run = null!;
    private BatchProgress _progress = null!;

    [OneTimeSetUp]
    public async Task RunTheProgram()
    {
        _batch = DownloadBatch.Plan(MinCount, MaxCount, MinMs, MaxMs, ChosenFiles, ChosenMinMs, ChosenMaxMs);
        var request = _batch.Apply(Learner.Request()) with
        {
            TimeLimit = TimeSpan.FromMilliseconds(_batch.MaxMs) + Grace,
            // A thread per download must be measured, not stopped: with the default task limit the
            // thousandth thread could not start and the program died of "Out of memory" instead.
            TaskLimit = TaskLimit,
        };
        _run = await Learner.RunAsync(request);
        _progress = _batch.Progress(_run);
    }

    [Test]
    public void Exits_with_code_zero()
    {
        ReportStoppedEarly($"the program finishes within {Runs.Seconds(_run.Request.TimeLimit)} and exits with code 0");
        Runs.ExitedWithZero(_run);
    }

    [Test]
    public void Event_log_matches_what_the_system_saw() => Runs.EventLogMatchesTheSystem(_run);

    [Test]
    public void Downloads_every_file_exactly_once()
    {
        Runs.Finished(_run);
        var expected = $"file-1 to file-{_batch.Count} each downloaded once, every download finished";
        Explain.That(
            _progress.Unknown.Count == 0,
            expected,
            () => "downloads of names that are not in the list: " + BatchProgress.Some(_progress.Unknown),
            $"the names are file-1 to file-{_batch.Count}, numbered from 1 up to and including the count on the command line"
        );
        Explain.That(
            _progress.Repeated.Count == 0,
            expected,
            () => "these files were downloaded more than once: " + BatchProgress.Some(_progress.Repeated),
            "call Kata.DownloadAsync once per file, and await the task it returns instead of calling it again"
        );
        Explain.That(
            _progress.Missing.Count == 0,
            expected,
            () =>
                $"when the program ended, {_progress.Describe()}; not finished: {BatchProgress.Some(_progress.Missing)}",
            _progress.Started < _batch.Count
                ? $"start a download with Kata.DownloadAsync(name) for every file from 1 to {_batch.Count}"
                : "await Task.WhenAll(...) with every download's task before Main ends: when Main returns, the process ends, and downloads still waiting end with it"
        );
    }

    [Test]
    public void Finishes_all_downloads_in_about_the_time_of_one()
    {
        var longest = TimeSpan.FromMilliseconds(_batch.MaxMs);
        var limit = longest + Allowance;
        var expected =
            $"all {_batch.Count} downloads done within {Runs.Seconds(limit)} of the first one's start: about one download (the longest lasts {Runs.Seconds(longest)}), not all of them one after another ({Runs.Seconds(TimeSpan.FromMilliseconds(_batch.SumMs))})";
        Runs.Finished(_run);
        var ends = _run.Events.Where(e => e.Event == "download-end").ToList();
        Explain.That(
            _progress.Finished == _batch.Count,
            expected,
            () => $"when the program ended, {_progress.Describe()}",
            _progress.Started == 0
                ? "start every download with Kata.DownloadAsync(name), then await Task.WhenAll(...) with their tasks"
                : "await Task.WhenAll(...) with every download's task before Main ends"
        );
        var first = _run.Events.Where(e => e.Event == "download-start").Min(e => e.At);
        var took = MonotonicClock.Between(first, ends.Max(e => e.At));
        Explain.That(
            took <= limit,
            expected,
            () =>
                $"from the first download's start to the last one's end took {Runs.Seconds(took)}: at most {_progress.MostAtOnce} downloads were in progress at the same time, on {_progress.Threads} thread(s)",
            Diagnosis()
        );
    }

    [Test]
    public void Has_every_download_in_progress_at_once()
    {
        // Three quarters: every download started before the first one ended, but for the slowest
        // starts of a loaded machine; downloads in waves, or a few at a time, stay far below.
        var needed = _batch.Count * 3 / 4;
        var expected =
            $"at least {needed} of the {_batch.Count} downloads in progress at the same moment: all of them started, then all of them awaited together";
        Runs.Finished(_run);
        if (_run.Processes.Sum(p => p.PeakThreadCount) >= ThreadLimit)
        {
            Explain.NotJudged("a thread for every download (see \"Keeps the number of threads small\")");
        }
        Explain.That(
            _progress.MostAtOnce >= needed,
            expected,
            () => $"at most {_progress.MostAtOnce} at once; {_progress.Describe()}",
            "start every download first (a task per file, kept in a list), then await Task.WhenAll(tasks) once; awaiting a batch at a time runs the downloads in waves"
        );
    }

    [Test]
    public void Keeps_the_number_of_threads_small()
    {
        Runs.Finished(_run);
        var elsewhere = _run
            .Events.Where(e => e.Event == "download-start" && e.Pid != _run.RootPid)
            .Select(e => e.Pid)
            .Distinct()
            .ToList();
        Explain.That(
            elsewhere.Count == 0,
            $"every download made by your program's own process (pid {_run.RootPid}), on its few threads",
            () =>
                $"downloads were made by other processes: pid {string.Join(", ", elsewhere)}, which your program started",
            "no worker processes here: one process, Kata.DownloadAsync for every file, and Task.WhenAll"
        );
        var root = Threads.Root(_run);
        var peak = root.PeakThreadCount;
        if (peak == 0)
        {
            Explain.Skip("the threads of your program could not be counted on this system");
        }
        var own = Threads.LearnerThreads(_run).Count;
        Explain.That(
            peak < ThreadLimit,
            $"fewer than {ThreadLimit} OS threads in your process at any moment, the .NET runtime's own included, for {_batch.Count} downloads: a download awaited with Kata.DownloadAsync needs no thread while it waits",
            () =>
                $"peak {peak} OS threads at the same moment"
                + (own > 0 ? $"; your program started {own} thread(s) of its own" : "")
                + $"; {_progress.Describe()}",
            own >= ThreadLimit / 2
                ? "a new Thread per download: each one is a real OS thread that does nothing but wait. Call Kata.DownloadAsync(name) for every file, keep the tasks and await Task.WhenAll(tasks): waiting downloads hold no thread at all"
                : "something blocks a thread per download (Kata.Download, Thread.Sleep, .Result or .Wait() inside Task.Run), so the thread pool keeps adding threads. Await Kata.DownloadAsync(name) instead: a waiting download holds no thread"
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
            "print the total once, at the end of Main, after await Task.WhenAll(...)"
        );
        var ends = _run.Events.Where(e => e.Event == "download-end").ToList();
        Explain.That(
            ends.Count > 0,
            "the total printed after the last download finished",
            () => $"\"{total!.Text.Trim()}\" and no download finished at all",
            "start the downloads with Kata.DownloadAsync(name) and await them all before printing the total"
        );
        var lastEnd = ends.Max(e => e.At);
        var later = ends.Count(e => e.At > total!.At);
        Explain.That(
            total!.At >= lastEnd,
            "the total printed after the last download finished",
            () =>
                $"the total was printed at {Runs.At(_run, total.At)}, and {later} download(s) finished after that, the last at {Runs.At(_run, lastEnd)}",
            "await Task.WhenAll(...) with every download's task before you print the total"
        );
    }

    [Test]
    public void Total_matches_the_measured_time()
    {
        Runs.Finished(_run);
        Totals.MatchesMeasuredTime(
            _run,
            Downloads.Spans(_run),
            "start a Stopwatch before the first download starts and read it after await Task.WhenAll(...)"
        );
    }

    /// <summary>Fails with the figures when the program was still downloading at the time limit and had to be stopped.</summary>
    private void ReportStoppedEarly(string expected)
    {
        if (!_run.TimedOut)
        {
            return;
        }
        Explain.Fail(
            expected,
            $"after {Runs.Seconds(_run.WallTime)} only {_progress.Describe()}; the program was still running and was stopped",
            Diagnosis()
        );
    }

    /// <summary>Where to look when the downloads took too long, from how they ran.</summary>
    private string Diagnosis() =>
        _progress.MostAtOnce <= 1
            ? "the downloads ran one after another: each one was awaited (or waited for with .Result or .Wait()) before the next one started. Start them all first, keep their tasks in a list, then await Task.WhenAll(tasks) once"
        : _progress.MostAtOnce <= _progress.Threads
            ? "each download kept a thread busy while it waited: with a blocking call (Kata.Download, Thread.Sleep, .Result, .Wait()) inside Task.Run, the thread pool runs only as many downloads as it has threads, and it adds threads only slowly (thread-pool starvation). Await Kata.DownloadAsync(name) instead: a waiting download holds no thread"
        : "start every download before awaiting any of them, then await Task.WhenAll(tasks) once";
}
