using ConcurrencyKata.Harness;

namespace ConcurrencyKata.Specs.SequentialDownload;

[Exercise("sequential-download")]
public sealed class SequentialDownloadSpecs
{
    private DownloadPlan _plan = null!;
    private RunRecord _run = null!;
    private IReadOnlyList<DownloadSpan> _spans = [];

    [OneTimeSetUp]
    public async Task RunTheProgram()
    {
        _plan = HalfwayBetweenWholeSeconds(Downloads.Plan(2, 3, 500, 1000));
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
    public void Downloads_every_file_named_on_the_command_line()
    {
        Runs.Finished(_run);
        var missing = _plan.Names.Where(n => !_spans.Any(s => s.Name == n)).ToList();
        Explain.That(
            missing.Count == 0,
            $"a finished download for each of the {_plan.Files.Count} files: {string.Join(", ", _plan.Names)}",
            () => $"no finished download of {string.Join(", ", missing)}",
            "the loop over the command-line arguments: it must call Kata.Download(name) for every one of them"
        );
    }

    [Test]
    public void Downloads_one_file_after_another()
    {
        Runs.Finished(_run);
        var overlapping = _spans
            .SelectMany((a, i) => _spans.Skip(i + 1).Where(a.Overlaps).Select(b => $"{a.Name} and {b.Name}"))
            .ToList();
        Explain.That(
            overlapping.Count == 0 && _spans.Count > 0,
            "each download starts after the previous one finished",
            () =>
                _spans.Count == 0
                    ? "no download happened"
                    : "these downloads ran at the same time: " + string.Join("; ", overlapping),
            "this exercise is the sequential baseline: download in a plain loop, one call after the other"
        );
    }

    [Test]
    public void Prints_a_start_and_a_finish_line_for_each_file()
    {
        Runs.Finished(_run);
        foreach (var name in _plan.Names)
        {
            var start = Line("start " + name);
            var finish = Line("finish " + name);
            var span = _spans.FirstOrDefault(s => s.Name == name);
            Explain.That(
                start is not null && finish is not null,
                $"the lines \"start {name}\" and \"finish {name}\"",
                () =>
                    (start is null ? $"no \"start {name}\" line. " : $"no \"finish {name}\" line. ")
                    + Runs.Transcript(_run),
                "print one line before and one line after each download, exactly in the format of the README"
            );
            Explain.That(
                span is not null && finish!.At >= span.End,
                $"\"finish {name}\" printed after that download finished",
                () =>
                    span is null
                        ? $"{name} was never downloaded"
                        : $"it was printed at {Runs.At(_run, finish!.At)}, the download finished at {Runs.At(_run, span.End)}",
                "print the finish line after Kata.Download returns"
            );
        }
    }

    [Test]
    public void Prints_the_total_after_the_last_download_finishes()
    {
        Runs.Finished(_run);
        var total = TotalLine();
        var lastEnd = _spans.Count > 0 ? _spans.Max(s => s.End) : (long?)null;
        Explain.That(
            total is not null && lastEnd is not null && total.At >= lastEnd,
            "a line \"total <seconds> s\" printed after the last download finished",
            () =>
                total is null ? "no total line. " + Runs.Transcript(_run)
                : lastEnd is null ? "no download finished"
                : $"the total was printed at {Runs.At(_run, total.At)}, the last download finished at {Runs.At(_run, lastEnd.Value)}",
            "print the total once, after the loop"
        );
    }

    [Test]
    public void Total_matches_the_measured_time()
    {
        Runs.Finished(_run);
        Totals.MatchesMeasuredTime(
            _run,
            _spans,
            "measure with a Stopwatch started before the first download and read after the last one"
        );
    }

    [Test]
    public void Prints_each_line_when_it_happens()
    {
        Runs.Finished(_run);
        if (_spans.Count == 0)
        {
            Explain.NotJudged("no download finished (see \"Downloads every file named on the command line\")");
        }
        var ordered = _spans.OrderBy(s => s.Start).ToList();
        for (var i = 0; i < ordered.Count; i++)
        {
            var span = ordered[i];
            var start = Line("start " + span.Name);
            var finish = Line("finish " + span.Name);
            // The next download starts right after the finish line is written; the slack is for
            // stamping that line on a loaded machine, far below any download's length.
            var nextStart =
                i + 1 < ordered.Count ? MonotonicClock.After(ordered[i + 1].Start, LineSlack) : long.MaxValue;
            Explain.That(
                start is not null && finish is not null && start.At < span.End && finish.At < nextStart,
                $"\"start {span.Name}\" printed before that download finished ({Runs.At(_run, span.End)}), and \"finish {span.Name}\" before the next download started",
                () =>
                    start is null || finish is null
                        ? $"no start or finish line for {span.Name}"
                        : $"\"start {span.Name}\" at {Runs.At(_run, start.At)}, \"finish {span.Name}\" at {Runs.At(_run, finish.At)}; the download ran from {Runs.At(_run, span.Start)} to {Runs.At(_run, span.End)}",
                "print each line as it happens (Console.WriteLine before and after Kata.Download), not collected and printed at the end"
            );
        }
    }

    /// <summary>How much later than the next download's start a finish line may be stamped.</summary>
    private static readonly TimeSpan LineSlack = TimeSpan.FromMilliseconds(200);

    /// <summary>
    /// Durations whose sum is about half a second away from a whole second, and at most 3.5 s: a total
    /// printed in whole seconds (Elapsed.Seconds) is then off by more than the tolerance, on every run.
    /// </summary>
    private static DownloadPlan HalfwayBetweenWholeSeconds(DownloadPlan plan)
    {
        var files = plan.Files.ToList();
        var target = Learner.Milliseconds(450, 550);
        var last = files[^1];
        var ms = last.Ms + ((target - (plan.SumMs % 1000) + 1000) % 1000);
        files[^1] = last with { Ms = ms > 1500 ? ms - 1000 : ms };
        return new DownloadPlan(files);
    }

    private OutputLine? Line(string text) => _run.Stdout.FirstOrDefault(l => l.Text.Trim() == text);

    private OutputLine? TotalLine() => Totals.Line(_run);
}
