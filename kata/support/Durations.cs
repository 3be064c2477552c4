using System.Globalization;

namespace ConcurrencyKata.Support;

/// <summary>
/// How long each piece of simulated work lasts. The verifier chooses durations at random for every
/// run and passes them in KATA_DURATIONS ("name=milliseconds;..."); run by hand, each name gets a
/// stable duration between 0.5 and 1.5 seconds.
/// </summary>
internal static class Durations
{
    public const string Variable = "KATA_DURATIONS";
    public const string DefaultVariable = "KATA_DEFAULT_DURATION_MS";

    private static readonly Lazy<IReadOnlyDictionary<string, int>> Chosen = new(Parse);

    /// <summary>How long one critical-work call lasts: KATA_CRITICAL_MS, 5 ms by hand.</summary>
    public static TimeSpan Critical() => TimeSpan.FromMilliseconds(Number("KATA_CRITICAL_MS") ?? 5);

    /// <summary>How much processor time one compute chunk uses: KATA_COMPUTE_MS, one second by hand.</summary>
    public static TimeSpan Compute() => TimeSpan.FromMilliseconds(Number("KATA_COMPUTE_MS") ?? 1000);

    /// <summary>Which critical-work call fails (KATA_FAIL_ONCE, 1-based); 0 when none does.</summary>
    public static int FailOnce() => (int)(Number("KATA_FAIL_ONCE") ?? 0);

    private static long? Number(string variable) =>
        long.TryParse(
            Environment.GetEnvironmentVariable(variable),
            NumberStyles.None,
            CultureInfo.InvariantCulture,
            out var value
        )
            ? value
            : null;

    public static TimeSpan For(string name)
    {
        if (Chosen.Value.TryGetValue(name, out var ms))
        {
            return TimeSpan.FromMilliseconds(ms);
        }
        var fallback = Environment.GetEnvironmentVariable(DefaultVariable);
        if (int.TryParse(fallback, NumberStyles.None, CultureInfo.InvariantCulture, out var fixedMs))
        {
            return TimeSpan.FromMilliseconds(fixedMs);
        }
        return TimeSpan.FromMilliseconds(500 + (StableHash(name) % 1000));
    }

    /// <summary>Only what the verifier chose for <paramref name="name"/>; no time at all otherwise.</summary>
    public static TimeSpan ChosenOrZero(string name) =>
        Chosen.Value.TryGetValue(name, out var ms) ? TimeSpan.FromMilliseconds(ms) : TimeSpan.Zero;

    private static Dictionary<string, int> Parse()
    {
        var result = new Dictionary<string, int>(StringComparer.Ordinal);
        var text = Environment.GetEnvironmentVariable(Variable);
        if (string.IsNullOrEmpty(text))
        {
            return result;
        }
        foreach (var pair in text.Split(';', StringSplitOptions.RemoveEmptyEntries))
        {
            var cut = pair.LastIndexOf('=');
            if (
                cut > 0
                && int.TryParse(pair.AsSpan(cut + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var ms)
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
