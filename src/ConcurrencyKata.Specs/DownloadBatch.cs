using System.Globalization;
using ConcurrencyKata.Harness;

namespace ConcurrencyKata.Specs;

/// <summary>
/// Many downloads in one run — hundreds or thousands, named <c>file-1</c> … <c>file-&lt;count&gt;</c> —
/// for the exercises where a thread per download would be far too many threads. The program gets only
/// the count on its command line. Every file lasts the run's default duration except a few chosen ones,
/// so the environment stays a few bytes long however many files there are (KATA_DEFAULT_DURATION_MS
/// and a short KATA_DURATIONS) instead of one entry per file.
/// </summary>
public sealed record DownloadBatch(int Count, int DefaultMs, IReadOnlyList<PlannedFile> Chosen)
{
    /// <summary>
    /// Between <paramref name="minCount"/> and <paramref name="maxCount"/> files: a default duration in
    /// [minMs, maxMs] for most, and <paramref name="chosen"/> files with durations of their own in
    /// [chosenMinMs, chosenMaxMs], so the longest download is not known in advance.
    /// </summary>
    public static DownloadBatch Plan(
        int minCount,
        int maxCount,
        int minMs,
        int maxMs,
        int chosen,
        int chosenMinMs,
        int chosenMaxMs
    )
    {
        var count = Learner.Random.Next(minCount, maxCount + 1);
        var defaultMs = Learner.Milliseconds(minMs, maxMs);
        var numbers = new SortedSet<int>();
        while (numbers.Count < Math.Min(chosen, count))
        {
            numbers.Add(Learner.Random.Next(1, count + 1));
        }
        return new DownloadBatch(
            count,
            defaultMs,
            [.. numbers.Select(n => new PlannedFile(NameOf(n), Learner.Milliseconds(chosenMinMs, chosenMaxMs)))]
        );
    }

    public static string NameOf(int number) => "file-" + number.ToString(CultureInfo.InvariantCulture);

    public IEnumerable<string> Names => Enumerable.Range(1, Count).Select(NameOf);

    public int MaxMs => Chosen.Select(f => f.Ms).Append(DefaultMs).Max();

    /// <summary>How long the downloads take one after another.</summary>
    public long SumMs => ((long)(Count - Chosen.Count) * DefaultMs) + Chosen.Sum(f => f.Ms);

    public RunRequest Apply(RunRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return request with
        {
            Arguments = [.. request.Arguments, Count.ToString(CultureInfo.InvariantCulture)],
            Work = request.Work.WithDurations(Chosen.Select(f => KeyValuePair.Create(f.Name, f.Ms))) with
            {
                DefaultDurationMs = DefaultMs,
            },
        };
    }

    /// <summary>How far the batch got, from the support library's records.</summary>
    public BatchProgress Progress(RunRecord run)
    {
        ArgumentNullException.ThrowIfNull(run);
        var downloads = run.Events.Where(e => e.Event is "download-start" or "download-end").ToList();
        var starts = downloads.Where(e => e.Event == "download-start").GroupBy(e => e.Name).ToList();
        var finished = downloads.Where(e => e.Event == "download-end").Select(e => e.Name).ToHashSet();
        var names = Names.ToHashSet();
        return new BatchProgress(
            Count,
            starts.Count(g => names.Contains(g.Key)),
            finished.Count(names.Contains),
            MostAtOnce(downloads),
            downloads.Select(e => e.Tid).Distinct().Count(),
            [.. Names.Where(n => !finished.Contains(n))],
            [.. starts.Where(g => g.Count() > 1).Select(g => g.Key)],
            [.. starts.Select(g => g.Key).Where(n => !names.Contains(n))]
        );
    }

    /// <summary>The most downloads in progress at the same moment; one still going when the run ended counts until then.</summary>
    private static int MostAtOnce(IEnumerable<SupportEvent> downloads)
    {
        var now = 0;
        var most = 0;
        // At equal timestamps an end comes before a start: touching downloads do not overlap.
        foreach (var e in downloads.OrderBy(e => e.At).ThenBy(e => e.Event == "download-start" ? 1 : 0))
        {
            now = Math.Max(0, now + (e.Event == "download-start" ? 1 : -1));
            most = Math.Max(most, now);
        }
        return most;
    }
}

/// <summary>How far a <see cref="DownloadBatch"/> got in one run.</summary>
/// <param name="Count">Downloads in the batch.</param>
/// <param name="Started">Files of the batch whose download started.</param>
/// <param name="Finished">Files of the batch whose download finished.</param>
/// <param name="MostAtOnce">The most downloads in progress at the same moment.</param>
/// <param name="Threads">Different OS threads that started or finished a download.</param>
/// <param name="Missing">Files of the batch with no finished download.</param>
/// <param name="Repeated">Files downloaded more than once.</param>
/// <param name="Unknown">Downloaded names that are not in the batch.</param>
public sealed record BatchProgress(
    int Count,
    int Started,
    int Finished,
    int MostAtOnce,
    int Threads,
    IReadOnlyList<string> Missing,
    IReadOnlyList<string> Repeated,
    IReadOnlyList<string> Unknown
)
{
    public bool Complete => Missing.Count == 0 && Repeated.Count == 0;

    /// <summary>"37 of 1000 downloads had finished (at most 14 in progress at the same time, on 14 threads)", for messages.</summary>
    public string Describe() =>
        Started == 0
            ? $"none of the {Count} downloads had started"
            : $"{Finished} of {Count} downloads had finished (at most {MostAtOnce} in progress at the same time, on {Threads} thread{(Threads == 1 ? "" : "s")})";

    /// <summary>Up to a few names of a long list, for messages: "file-3, file-9, ... (961 in all)".</summary>
    public static string Some(IReadOnlyList<string> names, int shown = 5)
    {
        ArgumentNullException.ThrowIfNull(names);
        return names.Count <= shown
            ? string.Join(", ", names)
            : $"{string.Join(", ", names.Take(shown))}, ... ({names.Count} in all)";
    }
}
