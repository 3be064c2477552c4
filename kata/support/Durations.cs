namespace ConcurrencyKata.Support;

/// <summary>
/// How long simulated work lasts when the program is run by hand. Under the verifier, its work
/// service decides (and records); nothing here is read then.
/// </summary>
internal static class Durations
{
    /// <summary>How long one critical-work call lasts by hand.</summary>
    public static readonly TimeSpan Critical = TimeSpan.FromMilliseconds(5);

    /// <summary>How much processor time one compute chunk uses by hand.</summary>
    public static readonly TimeSpan Compute = TimeSpan.FromSeconds(1);

    /// <summary>A stable duration between 0.5 and 1.5 seconds for each name.</summary>
    public static TimeSpan For(string name) => TimeSpan.FromMilliseconds(500 + (StableHash(name) % 1000));

    private static uint StableHash(string text)
    {
        var hash = 2166136261u;
        foreach (var c in text)
        {
            hash = (hash ^ c) * 16777619u;
        }
        return hash;
    }
}
