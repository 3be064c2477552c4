using System.Text.Json;
using ConcurrencyKata.Catalog;

namespace ConcurrencyKata.Course.Tests;

/// <summary>The repository's own course folder, with its author-only material (.meta/).</summary>
internal static class Repository
{
    public static string Root { get; } = FindRoot();

    public static string CourseDirectory => Path.Combine(Root, "kata");

    public static ConcurrencyKata.Catalog.Course Course { get; } = ConcurrencyKata.Catalog.Course.Load(CourseDirectory);

    /// <summary>How many times each solution and wrong fixture is verified (KATA_COURSE_RUNS, default 3).</summary>
    public static int Runs =>
        int.TryParse(Environment.GetEnvironmentVariable("KATA_COURSE_RUNS"), out var runs) && runs > 0 ? runs : 3;

    public static IEnumerable<TestCaseData> Exercises() =>
        Course.Exercises.Select(e => new TestCaseData(e.Id).SetArgDisplayNames(e.Id));

    public static IEnumerable<TestCaseData> WrongFixtures() =>
        from exercise in Course.Exercises
        let wrong = Path.Combine(exercise.Directory, ".meta", "wrong")
        where Directory.Exists(wrong)
        from folder in Directory.GetDirectories(wrong).Order(StringComparer.Ordinal)
        let name = Path.GetFileName(folder)
        select new TestCaseData(exercise.Id, name).SetArgDisplayNames($"{exercise.Id}/{name}");

    public static IEnumerable<TestCaseData> AlternativeSolutions() =>
        from exercise in Course.Exercises
        let alternatives = Path.Combine(exercise.Directory, ".meta", "also-correct")
        where Directory.Exists(alternatives)
        from folder in Directory.GetDirectories(alternatives).Order(StringComparer.Ordinal)
        let name = Path.GetFileName(folder)
        select new TestCaseData(exercise.Id, name).SetArgDisplayNames($"{exercise.Id}/{name}");

    public static IReadOnlyList<string> DeclaredFailures(Exercise exercise, string mistake)
    {
        var path = Path.Combine(exercise.Directory, ".meta", "wrong", mistake, "expected.json");
        using var doc = JsonDocument.Parse(File.ReadAllText(path));
        return [.. doc.RootElement.GetProperty("fails").EnumerateArray().Select(e => e.GetString()!)];
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (
                File.Exists(Path.Combine(dir.FullName, "kata", "catalog.json"))
                && File.Exists(Path.Combine(dir.FullName, "ConcurrencyKata.sln"))
            )
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException(
            "Cannot find the repository root (kata/catalog.json) above " + AppContext.BaseDirectory
        );
    }
}
