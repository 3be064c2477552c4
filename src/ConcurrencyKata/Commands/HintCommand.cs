using System.ComponentModel;
using ConcurrencyKata.Catalog;
using ConcurrencyKata.Workspace;
using Spectre.Console;
using Spectre.Console.Cli;

namespace ConcurrencyKata.Commands;

[Description("Show the hints for the current exercise (or the one given).")]
public sealed class HintCommand(IAnsiConsole console, Course course) : Command<HintCommand.Settings>
{
    public sealed class Settings : LanguageSettings
    {
        [CommandArgument(0, "[EXERCISE]")]
        [Description("Exercise id, folder name or number. Default: the current exercise.")]
        public string? Exercise { get; init; }
    }

    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        var language = Languages.Resolve(settings.Lang);
        var exercise = settings.Exercise is not null
            ? course.Find(settings.Exercise)
            : LearnerWorkspace.Open(settings.Workspace).CurrentExercise(course);
        var path = exercise.HintsPath(language);
        if (!File.Exists(path))
        {
            throw new KataException($"Exercise {exercise.Id} has no hints.", ExitCodes.Usage);
        }
        var heading =
            language == Language.Chinese
                ? $"练习 {exercise.Number} 的提示：{exercise.Title_(language)}"
                : $"Hints for exercise {exercise.Number}: {exercise.Title_(language)}";
        console.MarkupLine($"[bold]{Markup.Escape(heading)}[/]");
        console.WriteLine();
        console.WriteLine(File.ReadAllText(path).TrimEnd());
        return ExitCodes.Passed;
    }
}
