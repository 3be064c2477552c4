using System.ComponentModel;
using ConcurrencyKata.Catalog;
using ConcurrencyKata.Console;
using ConcurrencyKata.Workspace;
using Spectre.Console;
using Spectre.Console.Cli;

namespace ConcurrencyKata.Commands;

[Description("Put an exercise back to its starting stub. Your changed files are kept as <file>.<time>.bak.")]
public sealed class ResetCommand(IAnsiConsole console, Course course, TimeProvider time)
    : Command<ResetCommand.Settings>
{
    public sealed class Settings : WorkspaceSettings
    {
        [CommandArgument(0, "[EXERCISE]")]
        [Description(
            "Exercise id, folder name or number, e.g. 02-process-download. Default: the exercise whose folder you are in, then the current one."
        )]
        public string? Exercise { get; init; }
    }

    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        var workspace = LearnerWorkspace.Open(settings.Workspace);
        var exercise = settings.Exercise is not null
            ? course.Find(settings.Exercise)
            : workspace.ExerciseHere(course, Directory.GetCurrentDirectory());
        var backups = Scaffolder.Reset(workspace, exercise, time.GetLocalNow());
        var directory = Paths.Display(workspace.ExerciseDirectory(exercise));
        console.MarkupLine(
            $"Exercise {exercise.Number} ({Markup.Escape(exercise.Id)}) is back to its stub in {Markup.Escape(directory)}."
        );
        foreach (var backup in backups)
        {
            console.MarkupLine($"  Your previous version is saved as {Markup.Escape(Paths.Display(backup))}");
        }
        return ExitCodes.Passed;
    }
}
