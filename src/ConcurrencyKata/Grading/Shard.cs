using System.Globalization;

namespace ConcurrencyKata.Grading;

/// <summary>
/// A deterministic slice of a class: the students sorted by name (ordinal), every n-th from the i-th,
/// so n CI runners given 1/n .. n/n grade every submission exactly once, whatever order the folders are listed in.
/// </summary>
public sealed record Shard(int Index, int Count)
{
    public static Shard All { get; } = new(1, 1);

    /// <summary>"2/5": the second of five shards.</summary>
    public static Shard Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var parts = text.Split('/');
        if (
            parts.Length == 2
            && int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var index)
            && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var count)
            && count >= 1
            && index >= 1
            && index <= count
        )
        {
            return new Shard(index, count);
        }
        throw new KataException(
            $"--shard takes i/n with 1 <= i <= n, e.g. 2/5 for the second of five shards; '{text}' is not that.",
            ExitCodes.Usage
        );
    }

    public IReadOnlyList<string> Select(IEnumerable<string> students) =>
        [.. students.Order(StringComparer.Ordinal).Where((_, i) => i % Count == Index - 1)];

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Index}/{Count}");
}
