using ConcurrencyKata.Harness;

namespace ConcurrencyKata.Specs;

/// <summary>One call of Kata.CriticalWork as the support library recorded it; Failed when it threw the simulated failure.</summary>
public sealed record CriticalSpan(int Pid, int Tid, long Start, long? End, bool Failed)
{
    public bool Overlaps(CriticalSpan other) =>
        Start < (other.End ?? long.MaxValue) && other.Start < (End ?? long.MaxValue);
}

public static class CriticalSections
{
    /// <summary>
    /// Pairs each critical-start with the next critical-end or critical-fail of the same thread, in
    /// time order; a call still inside the critical work when the run ended has no end.
    /// </summary>
    public static IReadOnlyList<CriticalSpan> Spans(RunRecord run)
    {
        ArgumentNullException.ThrowIfNull(run);
        var spans = new List<CriticalSpan>();
        var byThread = run
            .Events.Where(e => e.Event is "critical-start" or "critical-end" or "critical-fail")
            .OrderBy(e => e.At)
            .GroupBy(e => (e.Pid, e.Tid));
        foreach (var thread in byThread)
        {
            SupportEvent? open = null;
            foreach (var e in thread)
            {
                if (e.Event == "critical-start")
                {
                    if (open is not null)
                    {
                        spans.Add(new CriticalSpan(open.Pid, open.Tid, open.At, null, false));
                    }
                    open = e;
                }
                else if (open is not null)
                {
                    spans.Add(new CriticalSpan(open.Pid, open.Tid, open.At, e.At, e.Event == "critical-fail"));
                    open = null;
                }
            }
            if (open is not null)
            {
                spans.Add(new CriticalSpan(open.Pid, open.Tid, open.At, null, false));
            }
        }
        return [.. spans.OrderBy(s => s.Start)];
    }

    /// <summary>The first two calls that were inside the critical work at the same time, if any.</summary>
    public static (CriticalSpan First, CriticalSpan Second)? FirstOverlap(IReadOnlyList<CriticalSpan> spans)
    {
        ArgumentNullException.ThrowIfNull(spans);
        var ordered = spans.OrderBy(s => s.Start).ToList();
        for (var i = 1; i < ordered.Count; i++)
        {
            for (var j = 0; j < i; j++)
            {
                if (ordered[j].Overlaps(ordered[i]))
                {
                    return (ordered[j], ordered[i]);
                }
            }
        }
        return null;
    }

    /// <summary>How many calls were inside the critical work at the busiest moment.</summary>
    public static int MostAtOnce(IReadOnlyList<CriticalSpan> spans)
    {
        ArgumentNullException.ThrowIfNull(spans);
        return spans.Count == 0
            ? 0
            : spans.Max(s => spans.Count(o => o.Start <= s.Start && s.Start < (o.End ?? long.MaxValue)));
    }

    /// <summary>
    /// The most of the threads that did critical work that were alive at the same moment. A thread
    /// was alive from the first to the last moment it is known to have existed: seen by the OS
    /// (observed lifetime, which shows threads waiting for a lock) or recorded by the support library
    /// (its calls, exact even for a thread too short-lived for the OS to be polled in time).
    /// </summary>
    public static int MostAliveAtOnce(IReadOnlyList<CriticalSpan> spans, IEnumerable<ObservedThread> observed)
    {
        ArgumentNullException.ThrowIfNull(spans);
        ArgumentNullException.ThrowIfNull(observed);
        var seen = observed.GroupBy(t => t.Tid).ToDictionary(g => g.Key, g => g.First());
        var lives = spans
            .GroupBy(s => s.Tid)
            .Select(g =>
            {
                var from = g.Min(s => s.Start);
                var to = g.Max(s => s.End ?? s.Start);
                return seen.TryGetValue(g.Key, out var thread)
                    ? (From: Math.Min(from, thread.FirstSeen), To: Math.Max(to, thread.LastSeen))
                    : (From: from, To: to);
            })
            .ToList();
        return lives.Count == 0 ? 0 : lives.Max(l => lives.Count(o => o.From <= l.From && l.From <= o.To));
    }
}
