namespace ConcurrencyKata.Support;

/// <summary>
/// How long simulated work lasts when the program is run by hand, where KATA_DURATIONS
/// ("name=milliseconds;...") may choose a download's time, to watch a long one. Under the verifier,
/// its work service decides (and records); nothing here is read then.
/// </summary>
internal static class Durations
{
    private static readonly Lazy<Dictionary<string, int>> Chosen = new(Parse);

    /// <summary>How long one critical-work call lasts by hand.</summary>
    public static readonly TimeSpan Critical = TimeSpan.FromMilliseconds(5);

    /// <summary>How much processor time one compute chunk uses by hand.</summary>
    public static readonly TimeSpan Compute = TimeSpan.FromSeconds(1);

    /// <summary>A stable duration between 0.5 and 1.5 seconds for each name.</summary>
    public static TimeSpan For(string name) =>
        TimeSpan.FromMilliseconds(Chosen.Value.TryGetValue(name, out var ms) ? ms : 500 + (StableHash(name) % 1000));

    private static Dictionary<string, int> Parse()
    {
        var result = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (
            var pair in (Environment.GetEnvironmentVariable("KATA_DURATIONS") ?? "").Split(
                ';',
                StringSplitOptions.RemoveEmptyEntries
            )
        )
        {
            var cut = pair.LastIndexOf('=');
            if (
                cut > 0
                && int.TryParse(
                    pair.AsSpan(cut + 1),
                    System.Globalization.NumberStyles.None,
                    System.Globalization.CultureInfo.InvariantCulture,
                    out var ms
                )
            )
            {
                result[pair[..cut]] = ms;
            }
        }
        return result;
    }

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
