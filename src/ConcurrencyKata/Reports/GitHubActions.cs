using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using ConcurrencyKata.Verification;

namespace ConcurrencyKata.Reports;

/// <summary>
/// What GitHub Actions reads from a step: <c>::error</c> workflow commands, shown as annotations on
/// the learner's file, and a Markdown step summary (the file named by GITHUB_STEP_SUMMARY).
/// </summary>
public static partial class GitHubActions
{
    /// <summary>One annotation per failed check (on the exercise's Program.cs) and per compiler error (on its line).</summary>
    /// <param name="prefix">The workspace's path inside the repository ("" at its root), so annotations land on the right file.</param>
    public static IEnumerable<string> Annotations(IReadOnlyList<ExerciseResult> results, string prefix)
    {
        ArgumentNullException.ThrowIfNull(results);
        foreach (var result in results)
        {
            var program = Join(prefix, $"exercises/{result.Exercise.Slug}/Program.cs");
            if (!result.Build.Succeeded)
            {
                foreach (var error in result.Build.Errors)
                {
                    var match = CompilerError().Match(error);
                    yield return match.Success
                        ? Command(
                            Join(prefix, match.Groups["file"].Value.Replace('\\', '/')),
                            match.Groups["line"].Value,
                            match.Groups["col"].Value,
                            $"{result.Exercise.Slug} does not build",
                            match.Groups["message"].Value
                        )
                        : Command(program, null, null, $"{result.Exercise.Slug} does not build", error);
                }
                continue;
            }
            foreach (var check in result.Checks.Where(c => c.Status == CheckStatus.Failed))
            {
                yield return Command(
                    program,
                    null,
                    null,
                    $"{result.Exercise.Slug}: {check.Sentence}",
                    check.Message ?? "failed"
                );
            }
        }
    }

    /// <summary>A table of the exercises, then a table of each exercise's checks, failures explained below it.</summary>
    public static string StepSummary(IReadOnlyList<ExerciseResult> results)
    {
        ArgumentNullException.ThrowIfNull(results);
        var text = new StringBuilder();
        var passed = results.Count(r => r.Status == ExerciseStatus.Passed);
        text.Append(
            CultureInfo.InvariantCulture,
            $"## kata verify: {passed} of {results.Count} exercises passed, {results.Sum(r => r.Score)} of {results.Sum(r => r.MaxPoints)} points\n\n"
        );
        text.Append("| # | exercise | result | points |\n| --- | --- | --- | --- |\n");
        foreach (var result in results)
        {
            text.Append(
                CultureInfo.InvariantCulture,
                $"| {result.Exercise.Number} | {Cell(result.Exercise.Id)} | {Verdict(result.Status)} | {result.Score} / {result.MaxPoints} |\n"
            );
        }
        foreach (var result in results)
        {
            text.Append(CultureInfo.InvariantCulture, $"\n### {result.Exercise.Slug}\n\n");
            if (!result.Build.Succeeded)
            {
                text.Append("The program did not build; no check ran. The compiler said:\n\n```\n");
                text.Append(string.Join('\n', result.Build.Errors).Replace("```", "'''", StringComparison.Ordinal));
                text.Append("\n```\n");
                continue;
            }
            text.Append("| check | result | points |\n| --- | --- | --- |\n");
            foreach (var check in result.Checks)
            {
                text.Append(
                    CultureInfo.InvariantCulture,
                    $"| {Cell(check.Sentence)} | {Verdict(check.Status)} | {check.Score} / {check.Points} |\n"
                );
            }
            foreach (var check in result.Checks.Where(c => c.Status == CheckStatus.Failed && c.Message is not null))
            {
                text.Append(CultureInfo.InvariantCulture, $"\n**{check.Sentence}**\n\n```\n");
                text.Append(check.Message!.Replace("```", "'''", StringComparison.Ordinal));
                text.Append("\n```\n");
            }
        }
        return text.ToString();
    }

    /// <summary>The workspace's path relative to the checked-out repository (GITHUB_WORKSPACE), "" when it is the root.</summary>
    public static string Prefix(string workspaceRoot, string? githubWorkspace)
    {
        if (string.IsNullOrEmpty(githubWorkspace))
        {
            return "";
        }
        var relative = Path.GetRelativePath(githubWorkspace, workspaceRoot).Replace('\\', '/');
        return relative == "." || relative.StartsWith("..", StringComparison.Ordinal) ? "" : relative;
    }

    private static string Command(string file, string? line, string? column, string title, string message)
    {
        var properties = new StringBuilder("file=").Append(Property(file));
        if (!string.IsNullOrEmpty(line))
        {
            properties.Append(",line=").Append(line);
        }
        if (!string.IsNullOrEmpty(column))
        {
            properties.Append(",col=").Append(column);
        }
        properties.Append(",title=").Append(Property(title));
        return $"::error {properties}::{Data(message)}";
    }

    private static string Join(string prefix, string path) => prefix.Length == 0 ? path : $"{prefix}/{path}";

    /// <summary>The escaping of GitHub's toolkit: %, CR and LF in a message.</summary>
    private static string Data(string text) =>
        text.Replace("%", "%25", StringComparison.Ordinal)
            .Replace("\r", "%0D", StringComparison.Ordinal)
            .Replace("\n", "%0A", StringComparison.Ordinal);

    /// <summary>And also : and , in a property value.</summary>
    private static string Property(string text) =>
        Data(text).Replace(":", "%3A", StringComparison.Ordinal).Replace(",", "%2C", StringComparison.Ordinal);

    private static string Cell(string text) =>
        text.Replace("|", "\\|", StringComparison.Ordinal).Replace("\n", " ", StringComparison.Ordinal);

    private static string Verdict(ExerciseStatus status) =>
        status switch
        {
            ExerciseStatus.Passed => "✅ passed",
            ExerciseStatus.BuildFailed => "❌ did not build",
            _ => "❌ failed",
        };

    private static string Verdict(CheckStatus status) =>
        status switch
        {
            CheckStatus.Passed => "✅ passed",
            CheckStatus.Skipped => "⚪ skipped",
            CheckStatus.NotJudged => "⚪ not judged",
            _ => "❌ failed",
        };

    /// <summary>exercises/01-x/Program.cs(3,1): error CS1002: ; expected</summary>
    [GeneratedRegex(@"^(?<file>[^(]+)\((?<line>\d+),(?<col>\d+)\): error (?<message>.*)$")]
    private static partial Regex CompilerError();
}
