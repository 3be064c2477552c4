namespace ConcurrencyKata.Specs;

/// <summary>Counting over time spans (downloads, computed chunks) given as monotonic start and end timestamps.</summary>
public static class Intervals
{
    /// <summary>The most spans in progress at the same moment. At equal timestamps an end comes before a start: touching spans do not overlap.</summary>
    public static int MostAtOnce(IEnumerable<(long Start, long End)> spans)
    {
        ArgumentNullException.ThrowIfNull(spans);
        var edges = spans.SelectMany(s => new[] { (At: s.Start, Step: 1), (At: s.End, Step: -1) });
        var now = 0;
        var most = 0;
        foreach (var edge in edges.OrderBy(e => e.At).ThenBy(e => e.Step))
        {
            now += edge.Step;
            most = Math.Max(most, now);
        }
        return most;
    }
}
