using System.Globalization;
using ConcurrencyKata.Harness;

namespace ConcurrencyKata.Specs;

/// <summary>Files to "download" with the durations the verifier chose for this run.</summary>
public sealed record DownloadPlan(IReadOnlyList<PlannedFile> Files)
{
    public IReadOnlyList<string> Names => [.. Files.Select(f => f.Name)];
    public int MaxMs => Files.Max(f => f.Ms);
    public int SumMs => Files.Sum(f => f.Ms);

    /// <summary>Hands these durations to the run's work service.</summary>
    public RunRequest WithDurations(RunRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return request with { Work = request.Work.WithDurations(Files.Select(f => KeyValuePair.Create(f.Name, f.Ms))) };
    }

    /// <summary>The durations, and the file names as the program's arguments.</summary>
    public RunRequest Apply(RunRequest request) =>
        WithDurations(request) with
        {
            Arguments = [.. request.Arguments, .. Names],
        };
}

public sealed record PlannedFile(string Name, int Ms);

/// <summary>A download as the support library recorded it.</summary>
public sealed record DownloadSpan(string Name, int Pid, int Tid, long Start, long End)
{
    /// <summary>The id .NET gave the downloading thread (0 when the kernel did not attest the thread).</summary>
    public int ManagedThreadId { get; init; }

    /// <summary>The download was made from inside a running Task's code (see <see cref="SupportEvent.InTask"/>).</summary>
    public bool InTask { get; init; }

    public bool Overlaps(DownloadSpan other) => Start < other.End && other.Start < End;

    public TimeSpan Length => MonotonicClock.Between(Start, End);
}

public static class Downloads
{
    private static readonly string[] Stems = ["report", "photo", "video", "backup", "song", "slides", "data", "notes"];
    private static readonly string[] Extensions = ["pdf", "jpg", "mp4", "zip", "mp3", "pptx", "csv", "txt"];

    /// <summary>Between <paramref name="min"/> and <paramref name="max"/> files, each lasting 0.5–1.5 s, names all different.</summary>
    public static DownloadPlan Plan(int min, int max, int minMs = 500, int maxMs = 1500)
    {
        var count = Learner.Random.Next(min, max + 1);
        var files = new List<PlannedFile>();
        var used = new HashSet<string>();
        while (files.Count < count)
        {
            var i = Learner.Random.Next(Stems.Length);
            var name = $"{Stems[i]}-{Learner.Random.Next(100, 1000)}.{Extensions[i]}";
            if (used.Add(name))
            {
                files.Add(new PlannedFile(name, Learner.Milliseconds(minMs, maxMs)));
            }
        }
        return new DownloadPlan(files);
    }

    /// <summary>
    /// Four files whose durations catch the usual mistakes in joining threads on every run, whatever
    /// the dice: the last started is the longest (a join loop that stops one short prints the total
    /// too early), the first is not (joining only the first one is not enough), and the second
    /// outlasts the third by half a second (a finish line printed by Main after joining in order
    /// comes that much after the third download ended).
    /// </summary>
    public static DownloadPlan AgainstJoinMistakes()
    {
        var names = Plan(4, 4).Names;
        int[] ms =
        [
            Learner.Milliseconds(800, 900),
            Learner.Milliseconds(1250, 1300),
            Learner.Milliseconds(700, 750),
            Learner.Milliseconds(1450, 1500),
        ];
        return new DownloadPlan([.. names.Select((n, i) => new PlannedFile(n, ms[i]))]);
    }

    /// <summary>
    /// Fails unless every planned file has a finished download. A missing download (most often: Main
    /// ended while they were still running) is one cause, said by the check named
    /// <paramref name="owner"/>; this check is then not judged. Null: this is that check.
    /// </summary>
    public static void EveryOneFinished(
        RunRecord run,
        DownloadPlan plan,
        IReadOnlyList<DownloadSpan> spans,
        string lookAt,
        string? owner
    )
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(spans);
        var missing = plan.Names.Where(n => !spans.Any(s => s.Name == n)).ToList();
        if (missing.Count == 0)
        {
            return;
        }
        if (owner is not null)
        {
            var cutShort = missing.Count(n => run.Events.Any(e => e.Event == "download-start" && e.Name == n));
            Explain.NotJudged(
                cutShort > 0
                    ? $"your program ended while {cutShort.ToString(CultureInfo.InvariantCulture)} download(s) were still running (see \"{owner}\")"
                    : $"{missing.Count.ToString(CultureInfo.InvariantCulture)} of the files were never downloaded to the end (see \"{owner}\")"
            );
        }
        Explain.Fail(
            $"a finished download for each of the {plan.Files.Count} files: {string.Join(", ", plan.Names)}",
            $"no finished download of {string.Join(", ", missing)}. {Runs.Transcript(run)}",
            lookAt
        );
    }

    /// <summary>Pairs the work service's start and end records of each download.</summary>
    public static IReadOnlyList<DownloadSpan> Spans(RunRecord run)
    {
        ArgumentNullException.ThrowIfNull(run);
        var spans = new List<DownloadSpan>();
        foreach (var start in run.Events.Where(e => e.Event == "download-start"))
        {
            var end = run.Events.FirstOrDefault(e =>
                e.Event == "download-end" && e.Name == start.Name && e.Pid == start.Pid && e.At >= start.At
            );
            if (end is not null)
            {
                spans.Add(
                    new DownloadSpan(start.Name, start.Pid, start.Tid, start.At, end.At)
                    {
                        ManagedThreadId = start.ManagedThreadId,
                        InTask = start.InTask,
                    }
                );
            }
        }
        return spans;
    }

    /// <summary>
    /// Fails unless the downloads, from the first start to the last finish, took closer to the longest
    /// of them than to all of them one after the other. Both bounds come from the downloads as they
    /// really lasted, not as planned: on a busy machine every download may last longer than chosen,
    /// yet downloads that ran one after the other always take at least the sum, and parallel ones
    /// about the longest.
    /// </summary>
    public static void FinishInAboutTheLongest(RunRecord run, IReadOnlyList<DownloadSpan> spans, string lookAt)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(spans);
        var took = MonotonicClock.Between(spans.Min(s => s.Start), spans.Max(s => s.End));
        var longest = spans.Max(s => s.Length);
        var sum = spans.Aggregate(TimeSpan.Zero, (total, s) => total + s.Length);
        var limit = longest + ((sum - longest) / 2);
        Explain.That(
            took <= limit,
            $"from the first download's start to the last one's finish, closer to the longest download ({Runs.Seconds(longest)}) than to all of them one after the other ({Runs.Seconds(sum)}): at most {Runs.Seconds(limit)}",
            () =>
                $"{Runs.Seconds(took)}: "
                + string.Join(
                    ", ",
                    spans
                        .OrderBy(s => s.Start)
                        .Select(s => $"{s.Name} ({Runs.At(run, s.Start)} to {Runs.At(run, s.End)})")
                ),
            lookAt
        );
    }
}
