namespace ConcurrencyKata.Grading;

/// <summary>Combines the outputs of sharded grading runs into one gradebook, summary and set of results.json files.</summary>
public static class GradebookMerge
{
    /// <returns>How many students the merged gradebook has.</returns>
    public static int Merge(IReadOnlyList<string> shards, string output)
    {
        ArgumentNullException.ThrowIfNull(shards);
        output = Path.GetFullPath(output);
        var rows = new List<GradeRow>();
        var owner = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var shard in shards.Select(Path.GetFullPath))
        {
            var gradebook = Path.Combine(shard, Gradebook.FileName);
            if (!File.Exists(gradebook))
            {
                throw new KataException(
                    $"{shard} has no {Gradebook.FileName}: is it the output folder of a 'kata grade' run?",
                    ExitCodes.Usage
                );
            }
            var shardRows = Gradebook.Read(gradebook);
            foreach (var student in shardRows.Select(r => r.Student).Distinct())
            {
                if (owner.TryGetValue(student, out var other) && other != shard)
                {
                    throw new KataException(
                        $"{student} was graded in both {other} and {shard}: were two runs given the same --shard?",
                        ExitCodes.Usage
                    );
                }
                owner[student] = shard;
            }
            rows.AddRange(shardRows);
        }
        Directory.CreateDirectory(output);
        foreach (var (student, shard) in owner)
        {
            var results = Path.Combine(shard, student, "results.json");
            var target = Path.Combine(output, student, "results.json");
            if (File.Exists(results) && !string.Equals(results, target, StringComparison.Ordinal))
            {
                Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                File.Copy(results, target, overwrite: true);
            }
        }
        var sorted = Gradebook.Sorted(rows);
        Gradebook.WriteAll(sorted, output, "Grades");
        return owner.Count;
    }
}
