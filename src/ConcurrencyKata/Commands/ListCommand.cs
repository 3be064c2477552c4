using System.ComponentModel;
using ConcurrencyKata.Catalog;
using ConcurrencyKata.Workspace;
using Spectre.Console;
using Spectre.Console.Cli;

namespace ConcurrencyKata.Commands;

[Description("List every exercise and where you are: passed, current, written, not started.")]
public sealed class ListCommand(IAnsiConsole console, Course course) : Command<ListCommand.Settings>
{
    public sealed class Settings : LanguageSettings;

    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        var language = Languages.Resolve(settings.Lang);
        var workspace = LearnerWorkspace.Find(settings.Workspace ?? Directory.GetCurrentDirectory());
        var state = workspace?.LoadState() ?? new WorkspaceState();
        var table = new Table().Border(TableBorder.Simple).AddColumns("#", "Exercise", "Title", "State");
        foreach (var exercise in course.Exercises)
        {
            var status =
                state.HasPassed(exercise.Id) ? "[green]passed[/]"
                : state.Current == exercise.Id ? "[yellow]current[/]"
                : workspace?.IsPresent(exercise) == true ? "written"
                : "[dim]not started[/]";
            table.AddRow(
                exercise.Number.ToString("00", System.Globalization.CultureInfo.InvariantCulture),
                Markup.Escape(exercise.Id),
                Markup.Escape(exercise.Title_(language)),
                status
            );
        }
        console.Write(table);
        if (workspace is null)
        {
            console.MarkupLine("[dim]No workspace here: run 'kata next' to start.[/]");
        }
        return ExitCodes.Passed;
    }
}
