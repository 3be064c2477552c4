using System.ComponentModel;
using System.Text;
using System.Text.RegularExpressions;
using ConcurrencyKata.Catalog;
using ConcurrencyKata.Workspace;
using Spectre.Console;
using Spectre.Console.Cli;

namespace ConcurrencyKata.Commands;

[Description(
    "Show the next hint you have not seen for the exercise whose folder you are in (or the current one, or the one given); --all shows every hint."
)]
public sealed partial class HintCommand(IAnsiConsole console, Course course) : Command<HintCommand.Settings>
{
    public sealed class Settings : LanguageSettings
    {
        [CommandArgument(0, "[EXERCISE]")]
        [Description(
            "Exercise id, folder name or number. Default: the exercise whose folder you are in, then the current one."
        )]
        public string? Exercise { get; init; }

        [CommandOption("--all")]
        [Description("Show every hint of the exercise at once.")]
        public bool All { get; init; }
    }

    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        var workspace = settings.Exercise is null
            ? LearnerWorkspace.Open(settings.Workspace)
            : LearnerWorkspace.Find(settings.Workspace ?? Directory.GetCurrentDirectory());
        var language = settings.Language(workspace);
        var exercise = settings.Exercise is not null
            ? course.Find(settings.Exercise)
            : workspace!.ExerciseHere(course, Directory.GetCurrentDirectory());
        var path = exercise.HintsPath(language);
        if (!File.Exists(path))
        {
            throw new KataException($"Exercise {exercise.Id} has no hints.", ExitCodes.Usage);
        }
        var hints = Parse(File.ReadAllText(path));
        if (hints.Count == 0)
        {
            throw new KataException($"Exercise {exercise.Id} has no hints.", ExitCodes.Usage);
        }
        var state = workspace?.LoadState();
        var seen = Math.Min(state?.HintsShownOf(exercise.Id) ?? 0, hints.Count);
        var chinese = language == Language.Chinese;
        var title = exercise.Title_(language);

        if (settings.All)
        {
            console.MarkupLine(
                $"[bold]{Markup.Escape(chinese ? $"练习 {exercise.Number} 的全部提示：{title}" : $"Every hint for exercise {exercise.Number}: {title}")}[/]"
            );
            for (var i = 0; i < hints.Count; i++)
            {
                Show(i, hints, chinese);
            }
            Remember(workspace, state, exercise, hints.Count);
            return ExitCodes.Passed;
        }

        var index = Math.Min(seen, hints.Count - 1);
        console.MarkupLine(
            $"[bold]{Markup.Escape(chinese ? $"练习 {exercise.Number}：{title}" : $"Exercise {exercise.Number}: {title}")}[/]"
        );
        Show(index, hints, chinese);
        Remember(workspace, state, exercise, index + 1);
        var footer =
            workspace is null
                ? (
                    chinese
                        ? "（不在练习工作区中，kata 不会记住你看过哪些提示。）"
                        : "(Outside a workspace kata does not remember which hints you have seen.)"
                )
            : index + 1 < hints.Count
                ? (
                    chinese
                        ? $"再运行 kata hint 查看第 {index + 2} 条提示（共 {hints.Count} 条）。"
                        : $"Run kata hint again for hint {index + 2} of {hints.Count}."
                )
            : seen >= hints.Count
                ? (
                    chinese
                        ? $"没有更多提示了：这是 {hints.Count} 条中的最后一条。kata hint --all 显示全部提示。"
                        : $"There are no more hints: this is the last of {hints.Count}. kata hint --all shows them all."
                )
            : (
                chinese
                    ? $"这是最后一条提示（共 {hints.Count} 条）。kata hint --all 显示全部提示。"
                    : $"That was the last hint of {hints.Count}. kata hint --all shows them all."
            );
        console.WriteLine();
        console.MarkupLine($"[dim]{Markup.Escape(footer)}[/]");
        return ExitCodes.Passed;
    }

    private void Show(int index, IReadOnlyList<string> hints, bool chinese)
    {
        console.WriteLine();
        console.MarkupLine(
            $"[bold yellow]{Markup.Escape(chinese ? $"提示 {index + 1}/{hints.Count}" : $"Hint {index + 1} of {hints.Count}")}[/]"
        );
        console.MarkupLine(Render(hints[index]));
    }

    private static void Remember(LearnerWorkspace? workspace, WorkspaceState? state, Exercise exercise, int shown)
    {
        if (workspace is not null && state is not null && shown > state.HintsShownOf(exercise.Id))
        {
            workspace.SaveState(state.WithHintsShown(exercise.Id, shown));
        }
    }

    /// <summary>The hints of a hints.md: the text under each "## " heading, in order.</summary>
    public static IReadOnlyList<string> Parse(string markdown)
    {
        var hints = new List<string>();
        StringBuilder? current = null;
        foreach (var line in markdown.ReplaceLineEndings("\n").Split('\n'))
        {
            if (line.StartsWith("## ", StringComparison.Ordinal))
            {
                if (current is not null)
                {
                    hints.Add(current.ToString().Trim());
                }
                current = new StringBuilder();
            }
            else
            {
                current?.Append(line).Append('\n');
            }
        }
        if (current is not null)
        {
            hints.Add(current.ToString().Trim());
        }
        return hints.Where(h => h.Length > 0).ToList();
    }

    /// <summary>
    /// A hint's Markdown as console markup: paragraphs reflowed (the console wraps them), list items
    /// and code blocks on lines of their own, `code` highlighted and **bold** bold, without the marks.
    /// </summary>
    public static string Render(string markdown)
    {
        var output = new StringBuilder();
        var paragraph = new List<string>();
        var inCode = false;
        void EndParagraph()
        {
            if (paragraph.Count > 0)
            {
                output.Append(Inline(string.Join(' ', paragraph))).Append('\n');
                paragraph.Clear();
            }
        }
        foreach (var raw in markdown.Split('\n'))
        {
            var line = raw.TrimEnd();
            if (line.TrimStart().StartsWith("```", StringComparison.Ordinal))
            {
                EndParagraph();
                inCode = !inCode;
                continue;
            }
            if (inCode)
            {
                output.Append("    [aqua]").Append(Markup.Escape(line)).Append("[/]\n");
            }
            else if (line.Length == 0)
            {
                EndParagraph();
                output.Append('\n');
            }
            else if (ListItem().IsMatch(line))
            {
                EndParagraph();
                paragraph.Add(line);
            }
            else
            {
                // A soft line break: in Chinese text no space goes between the joined lines.
                if (paragraph.Count > 0 && (IsWide(paragraph[^1][^1]) || IsWide(line.TrimStart()[0])))
                {
                    paragraph[^1] += line.TrimStart();
                }
                else
                {
                    paragraph.Add(line.Trim());
                }
            }
        }
        EndParagraph();
        return Regex.Replace(output.ToString().Trim('\n'), "\n{3,}", "\n\n");
    }

    private static bool IsWide(char c) => c >= '\u2e80';

    private static string Inline(string text)
    {
        var output = new StringBuilder();
        var parts = text.Split('`');
        for (var i = 0; i < parts.Length; i++)
        {
            if (i % 2 == 1 && i < parts.Length - 1)
            {
                output.Append("[aqua]").Append(Markup.Escape(parts[i])).Append("[/]");
            }
            else
            {
                var plain = i % 2 == 1 ? "`" + parts[i] : parts[i];
                output.Append(Bold().Replace(Markup.Escape(plain), "[bold]$1[/]"));
            }
        }
        return output.ToString();
    }

    [GeneratedRegex(@"^\s*([-*]|\d+\.)\s")]
    private static partial Regex ListItem();

    [GeneratedRegex(@"\*\*(.+?)\*\*")]
    private static partial Regex Bold();
}
