using System.Text.Json;
using System.Text.Json.Serialization;
using ConcurrencyKata.Verification;

namespace ConcurrencyKata.Reports;

/// <summary>
/// results.json in the Exercism test-runner format, version 3, with points added: <c>score</c> and
/// <c>max_score</c> for each test and for the whole. Tests are in spec order, one per check of every
/// verified exercise; <c>task_id</c> is the exercise's number.
/// </summary>
public sealed record ResultsFile(
    [property: JsonPropertyName("version")] int Version,
    [property: JsonPropertyName("status")] string Status,
    [property: JsonPropertyName("message"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
        string? Message,
    [property: JsonPropertyName("tests")] IReadOnlyList<ResultsTest> Tests,
    [property: JsonPropertyName("score")] int Score,
    [property: JsonPropertyName("max_score")] int MaxScore
);

/// <param name="Name">"01-sequential-download: Exits with code zero".</param>
/// <param name="Output">At most <see cref="ResultsJson.OutputLimit"/> characters.</param>
public sealed record ResultsTest(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("status")] string Status,
    [property: JsonPropertyName("message")] string? Message,
    [property: JsonPropertyName("output")] string? Output,
    [property: JsonPropertyName("task_id")] int TaskId,
    [property: JsonPropertyName("score")] int Score,
    [property: JsonPropertyName("max_score")] int MaxScore
);

public static class ResultsJson
{
    public const int Version = 3;
    public const int OutputLimit = 500;
    public const string Pass = "pass";
    public const string Fail = "fail";
    public const string Error = "error";

    /// <summary>
    /// pass when every check of every exercise passed; error (with the compiler's messages) when an
    /// exercise did not build; fail otherwise. A skipped check is an error test worth nothing: it
    /// could not be measured, so it is never counted as passed.
    /// </summary>
    public static ResultsFile From(IReadOnlyList<ExerciseResult> results)
    {
        ArgumentNullException.ThrowIfNull(results);
        var tests = results.SelectMany(Tests).ToList();
        var unbuilt = results.Where(r => !r.Build.Succeeded).ToList();
        var status =
            unbuilt.Count > 0 ? Error
            : tests.Count > 0 && tests.All(t => t.Status == Pass) ? Pass
            : Fail;
        var message = unbuilt.Count == 0 ? null : string.Join("\n\n", unbuilt.Select(BuildMessage));
        return new ResultsFile(Version, status, message, tests, tests.Sum(t => t.Score), tests.Sum(t => t.MaxScore));
    }

    /// <summary>The file for a submission that could not be graded at all.</summary>
    public static ResultsFile Failure(string message) => new(Version, Error, message, [], 0, 0);

    public static string ToJson(ResultsFile results) =>
        JsonSerializer.Serialize(results, ResultsJsonContext.Default.ResultsFile) + "\n";

    /// <summary>The path that stands for standard output ("--results -" on the command line).</summary>
    /// <summary>Writes the results to <paramref name="path"/>, or to standard output (<see cref="ReportFile.StandardOutput"/>).</summary>
    public static void Write(ResultsFile results, string path) =>
        ReportFile.Write(path, new System.Text.UTF8Encoding(false).GetBytes(ToJson(results)));

    public static ResultsFile Read(string path) =>
        Parse(File.ReadAllText(path)) ?? throw new JsonException($"{path} is empty.");

    /// <summary>Results from their JSON text; null for an empty text.</summary>
    public static ResultsFile? Parse(string json) =>
        string.IsNullOrWhiteSpace(json)
            ? null
            : JsonSerializer.Deserialize(json, ResultsJsonContext.Default.ResultsFile);

    public static string TestName(ExerciseResult result, string sentence) => $"{result.Exercise.Slug}: {sentence}";

    /// <summary>The text capped at <paramref name="limit"/> characters, saying so when it was cut.</summary>
    public static string? Cap(string? text, int limit = OutputLimit)
    {
        const string Cut = "\n[output cut]";
        if (text is null || text.Length <= limit)
        {
            return text;
        }
        return text[..(limit - Cut.Length)] + Cut;
    }

    /// <summary>True when the results say the exercise did not build: a line of the message is its <see cref="NotBuilt"/> heading.</summary>
    public static bool DidNotBuild(ResultsFile results, string slug)
    {
        ArgumentNullException.ThrowIfNull(results);
        return results.Message?.Split('\n').Contains(NotBuilt(slug), StringComparer.Ordinal) == true;
    }

    /// <summary>The line that starts the message's part about an exercise that did not build.</summary>
    public static string NotBuilt(string slug) => $"{slug} did not build:";

    private static IEnumerable<ResultsTest> Tests(ExerciseResult result)
    {
        var task = result.Exercise.Number;
        if (!result.Build.Succeeded)
        {
            var output = Cap(string.Join('\n', result.Build.Errors));
            return result.Planned.Select(s => new ResultsTest(
                TestName(result, s.Name.Replace('_', ' ')),
                Error,
                "Not run: the program did not build.",
                output,
                task,
                0,
                s.Points
            ));
        }
        return result.Checks.Select(c => new ResultsTest(
            TestName(result, c.Sentence),
            c.Status switch
            {
                CheckStatus.Passed => Pass,
                CheckStatus.Failed or CheckStatus.NotJudged => Fail,
                _ => Error,
            },
            c.Status switch
            {
                CheckStatus.Passed => null,
                CheckStatus.Skipped => "Skipped, worth no points: " + c.Message,
                _ => c.Message,
            },
            null,
            task,
            c.Score,
            c.Points
        ));
    }

    private static string BuildMessage(ExerciseResult result) =>
        NotBuilt(result.Exercise.Slug) + "\n" + string.Join('\n', result.Build.Errors);
}

[JsonSerializable(typeof(ResultsFile))]
[JsonSourceGenerationOptions(WriteIndented = true)]
internal sealed partial class ResultsJsonContext : JsonSerializerContext;
