using System.Globalization;
using System.Text.RegularExpressions;
using ConcurrencyKata.Harness;

namespace ConcurrencyKata.Specs;

/// <summary>A "start|finish NAME thread=ID" line of the thread exercises.</summary>
public sealed record ThreadLine(string Kind, string Name, int Thread, long At);

/// <summary>The lines the thread exercises print per download, and whether the downloading thread printed them, when it did.</summary>
public static partial class ThreadLines
{
    /// <summary>How long after its download ended a finish line may arrive: a thread prints it at once, however loaded the machine.</summary>
    public static readonly TimeSpan FinishLag = TimeSpan.FromMilliseconds(400);

    public static IReadOnlyList<ThreadLine> Of(RunRecord run)
    {
        ArgumentNullException.ThrowIfNull(run);
        return
        [
            .. run
                .Stdout.Select(l => (Line: l, Match: Pattern().Match(l.Text)))
                .Where(x => x.Match.Success)
                .Select(x => new ThreadLine(
                    x.Match.Groups[1].Value,
                    x.Match.Groups[2].Value,
                    int.Parse(x.Match.Groups[3].Value, CultureInfo.InvariantCulture),
                    x.Line.At
                )),
        ];
    }

    /// <summary>
    /// Each file's lines carry the id of the thread the work service saw download it (its managed
    /// id, reported from that very thread), the start line arrives before the download ended and the
    /// finish line within <see cref="FinishLag"/> after it: lines stamped with another thread's id,
    /// printed by Main after a Join, or printed before the download, all fail.
    /// </summary>
    public static void ComeFromTheDownloadingThread(RunRecord run, IReadOnlyList<DownloadSpan> spans, string lookAt)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(spans);
        if (run.ThreadAttestationGap is { } gap)
        {
            Explain.Skip("which thread downloaded a file cannot be confirmed here: " + gap);
        }
        var lines = Of(run);
        foreach (var span in spans.OrderBy(s => s.Start))
        {
            var start = lines.FirstOrDefault(l => l.Kind == "start" && l.Name == span.Name);
            var finish = lines.FirstOrDefault(l => l.Kind == "finish" && l.Name == span.Name);
            Explain.That(
                start is not null && finish is not null,
                $"the lines \"start {span.Name} thread=<id>\" and \"finish {span.Name} thread=<id>\"",
                () => $"no {(start is null ? "start" : "finish")} line for {span.Name}. {Runs.Transcript(run)}",
                lookAt
            );
            var downloader = span.ManagedThreadId;
            Explain.That(
                downloader != 0 && start!.Thread == downloader && finish!.Thread == downloader,
                $"both lines of {span.Name} with the id of the thread that downloaded it",
                () =>
                    downloader == 0
                        ? $"{span.Name} was downloaded by a thread the kernel never showed waiting on that download"
                        : $"{span.Name} was downloaded by thread {downloader.ToString(CultureInfo.InvariantCulture)}, the lines say thread={start!.Thread.ToString(CultureInfo.InvariantCulture)} and thread={finish!.Thread.ToString(CultureInfo.InvariantCulture)}",
                lookAt
            );
            var late = MonotonicClock.After(span.End, FinishLag);
            Explain.That(
                start!.At < span.End && finish!.At >= span.End && finish.At <= late,
                $"\"start {span.Name}\" printed before its download ended, \"finish {span.Name}\" within {Runs.Seconds(FinishLag)} after it ended ({Runs.At(run, span.End)})",
                () =>
                    $"\"start\" at {Runs.At(run, start!.At)}, \"finish\" at {Runs.At(run, finish!.At)}; the download ran from {Runs.At(run, span.Start)} to {Runs.At(run, span.End)}",
                lookAt
            );
        }
    }

    [GeneratedRegex(@"^\s*(start|finish)\s+(\S+)\s+thread=([0-9]{1,9})\s*$")]
    private static partial Regex Pattern();
}
