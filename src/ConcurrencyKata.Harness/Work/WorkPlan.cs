namespace ConcurrencyKata.Harness.Work;

/// <summary>
/// The run's parameters for the work the support library asks the <see cref="WorkService"/> for. They
/// stay in the verifier's process: nothing of them travels through the program's environment, so the
/// program cannot shorten a download or a compute chunk.
/// </summary>
public sealed record WorkPlan
{
    /// <summary>How long a download (by file name) or a turn (<c>turn-N</c>) is held, in milliseconds.</summary>
    public IReadOnlyDictionary<string, int> Durations { get; init; } = new Dictionary<string, int>();

    /// <summary>How long a download not in <see cref="Durations"/> is held; null: one second.</summary>
    public int? DefaultDurationMs { get; init; }

    /// <summary>How long one critical-work call is held.</summary>
    public int CriticalMs { get; init; } = 5;

    /// <summary>The processor time one compute chunk must cost the calling thread.</summary>
    public int ComputeMs { get; init; } = 1000;

    /// <summary>The processor time of particular chunks (by chunk name), where it is not <see cref="ComputeMs"/>.</summary>
    public IReadOnlyDictionary<string, int> ComputeCosts { get; init; } = new Dictionary<string, int>();

    /// <summary>
    /// How long a process of the run other than the main one is held as it exits (the support library
    /// asks the service when the process ends): a parent that does not wait for its children then
    /// exits well before them on every run, instead of only when the dice fall that way.
    /// </summary>
    public int ExitHoldMs { get; init; } = 300;

    /// <summary>Which critical-work call of the run fails once (1-based); 0 when none does.</summary>
    public int FailOnceCall { get; init; }

    public TimeSpan Download(string name) =>
        TimeSpan.FromMilliseconds(Durations.TryGetValue(name, out var ms) ? ms : DefaultDurationMs ?? 1000);

    public TimeSpan Compute(string chunk) =>
        TimeSpan.FromMilliseconds(ComputeCosts.TryGetValue(chunk, out var ms) ? ms : ComputeMs);

    /// <summary>A turn is held only when the plan says so.</summary>
    public TimeSpan Turn(string number) =>
        Durations.TryGetValue("turn-" + number, out var ms) ? TimeSpan.FromMilliseconds(ms) : TimeSpan.Zero;

    public WorkPlan WithDurations(IEnumerable<KeyValuePair<string, int>> durations)
    {
        var copy = new Dictionary<string, int>(Durations, StringComparer.Ordinal);
        foreach (var (name, ms) in durations)
        {
            copy[name] = ms;
        }
        return this with { Durations = copy };
    }
}
