using System.Globalization;
using System.Text.RegularExpressions;
using ConcurrencyKata.Harness;

namespace ConcurrencyKata.Specs;

/// <summary>The "total &lt;seconds&gt; s" line the download exercises print, and the check that it was measured.</summary>
public static partial class Totals
{
    public static OutputLine? Line(RunRecord run)
    {
        ArgumentNullException.ThrowIfNull(run);
        // A total written with a comma is still the total line (its check says what is wrong with it).
        return run.Stdout.FirstOrDefault(l => Pattern().IsMatch(l.Text) || CulturePattern().IsMatch(l.Text));
    }

    /// <summary>
    /// The printed total is about the time from the first download's start to the last one's end
    /// (±10 %, at least ±150 ms), and never more than the program's whole run.
    /// </summary>
    public static void MatchesMeasuredTime(RunRecord run, IReadOnlyList<DownloadSpan> spans, string lookAt)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(spans);
        var total = Line(run);
        if (total is not null && CulturePattern().IsMatch(total.Text))
        {
            Explain.Fail(
                "a line \"total <seconds> s\" with a decimal point, whatever the culture",
                $"\"{total.Text.Trim()}\": the program ran under {run.Request.Culture}, where numbers are written with a comma",
                "format the total with CultureInfo.InvariantCulture, e.g. string.Create(CultureInfo.InvariantCulture, $\"total {seconds:0.00} s\")"
            );
        }
        if (total is null)
        {
            Explain.Fail("a line \"total <seconds> s\"", "no total line. " + Runs.Transcript(run), lookAt);
        }
        if (spans.Count == 0)
        {
            Explain.Fail(
                $"finished downloads to compare \"{total.Text.Trim()}\" with",
                "no download finished before the program ended",
                "the total must measure the downloads: wait for them to finish before you print it"
            );
        }
        var printed = double.Parse(Pattern().Match(total.Text).Groups[1].Value, CultureInfo.InvariantCulture);
        var measured = MonotonicClock.Between(spans.Min(s => s.Start), spans.Max(s => s.End)).TotalSeconds;
        var tolerance = Math.Max(0.10 * measured, 0.150);
        var ceiling = run.WallTime.TotalSeconds + 0.150;
        Explain.That(
            printed >= measured - tolerance && printed <= ceiling,
            string.Create(
                CultureInfo.InvariantCulture,
                $"about {measured:0.00} s (the downloads took {measured:0.00} s; your program ran {run.WallTime.TotalSeconds:0.00} s)"
            ),
            string.Create(CultureInfo.InvariantCulture, $"total {printed:0.00} s"),
            lookAt
        );
    }

    [GeneratedRegex(@"^\s*total\s+([0-9]+(?:\.[0-9]+)?)\s*s\s*$")]
    private static partial Regex Pattern();

    [GeneratedRegex(@"^\s*total\s+[0-9]+,[0-9]+\s*s\s*$")]
    private static partial Regex CulturePattern();
}
