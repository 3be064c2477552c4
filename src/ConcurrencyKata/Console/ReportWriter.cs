using System.Globalization;
using ConcurrencyKata.Catalog;
using ConcurrencyKata.Verification;
using Spectre.Console;

namespace ConcurrencyKata.Console;

/// <summary>Renders verification results for a person: one line per check, the explanation under each failure.</summary>
public sealed class ReportWriter(IAnsiConsole console)
{
    public void Header(Exercise exercise, Language language) =>
        console.MarkupLine(
            $"[bold]Exercise {exercise.Number}[/] · {Markup.Escape(exercise.Id)} — {Markup.Escape(exercise.Title_(language))}"
        );

    public void Result(ExerciseResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        if (!result.Build.Succeeded)
        {
            console.MarkupLine($"  [red]✗ Build failed[/] ({Seconds(result.Build.Duration)}). The compiler said:");
            foreach (var error in result.Build.Errors)
            {
                console.MarkupLine("    " + Markup.Escape(error));
            }
            console.MarkupLine("  [dim]No check ran. Fix the errors above, then run 'kata verify' again.[/]");
            return;
        }
        console.MarkupLine($"  [green]✓[/] Builds ({Seconds(result.Build.Duration)})");
        if (result.ChangedFiles is { Restored.Count: > 0 } changed)
        {
            console.MarkupLine(
                "  [yellow]![/] Your program changed files of your workspace while it ran; kata put them back: "
                    + Markup.Escape(string.Join(", ", changed.Restored))
            );
        }
        if (result.ChangedFiles is { Added.Count: > 0 } added)
        {
            console.MarkupLine(
                "  [yellow]![/] Your program added files to your workspace while it ran (left in place): "
                    + Markup.Escape(string.Join(", ", added.Added))
            );
        }
        foreach (var check in result.Checks)
        {
            Check(check);
        }
        var passed = result.Checks.Count(c => c.Status == CheckStatus.Passed);
        var skipped = result.Checks.Count(c => c.Status == CheckStatus.Skipped);
        var notJudged = result.Checks.Count(c => c.Status == CheckStatus.NotJudged);
        var summary =
            $"{passed} of {result.Checks.Count} checks passed"
            + (skipped > 0 ? $", {skipped} skipped" : "")
            + (notJudged > 0 ? $", {notJudged} not judged" : "");
        console.MarkupLine(
            result.Status == ExerciseStatus.Passed
                ? $"  [green bold]Passed[/]: {summary}."
                : $"  [red bold]Not yet[/]: {summary}. Stuck? Run 'kata hint'."
        );
        console.MarkupLine(
            $"  [dim]build {Seconds(result.Build.Duration)} · checks {Seconds(result.CheckTime)} (your program ran {Seconds(result.ProgramTime)}) · seed {Markup.Escape(result.Seed ?? "-")}[/]"
        );
    }

    private void Check(CheckResult check)
    {
        var (mark, color) = check.Status switch
        {
            CheckStatus.Passed => ("✓", "green"),
            CheckStatus.Skipped => ("-", "yellow"),
            CheckStatus.NotJudged => ("·", "grey"),
            _ => ("✗", "red"),
        };
        console.MarkupLine($"  [{color}]{mark}[/] {Markup.Escape(check.Sentence)}");
        if (check.Message is null)
        {
            return;
        }
        foreach (var line in check.Message.Split('\n'))
        {
            console.MarkupLine("      " + Style(line));
        }
    }

    private static string Style(string line)
    {
        foreach (var label in new[] { "Expected:", "Observed:", "Look at:" })
        {
            if (line.StartsWith(label, StringComparison.Ordinal))
            {
                return $"[bold]{label}[/]{Markup.Escape(line[label.Length..])}";
            }
        }
        return Markup.Escape(line);
    }

    public static string Seconds(TimeSpan span) =>
        span.TotalSeconds.ToString("0.00", CultureInfo.InvariantCulture) + " s";
}
