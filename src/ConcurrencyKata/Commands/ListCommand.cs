using System.ComponentModel;
using System.Globalization;
using System.Text.Json;
using ConcurrencyKata.Catalog;
using ConcurrencyKata.Reports;
using ConcurrencyKata.Workspace;
using Spectre.Console;
using Spectre.Console.Cli;

namespace ConcurrencyKata.Commands;

[Description("List every exercise and where you are: passed, current, written, not started.")]
public sealed class ListCommand(IAnsiConsole console, ErrorConsole errors, Course course)
    : Command<ListCommand.Settings>
{
    public sealed class Settings : LanguageSettings
    {
        [CommandOption("--json")]
        [Description(
            "For scripts: the list as JSON on standard output (number, id, folder, title, state: passed, current, written or not-started)."
        )]
        public bool Json { get; init; }
    }

    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        var workspace = LearnerWorkspace.Find(settings.Workspace ?? Directory.GetCurrentDirectory());
        var language = settings.Language(workspace);
        var state = workspace?.LoadState() ?? new WorkspaceState();
        var rows = course
            .Exercises.Select(exercise =>
                (
                    Exercise: exercise,
                    State: state.HasPassed(exercise.Id) ? "passed"
                    : state.Current == exercise.Id ? "current"
                    : workspace?.IsPresent(exercise) == true ? "written"
                    : "not-started"
                )
            )
            .ToList();
        if (settings.Json)
        {
            ReportFile.Write(ReportFile.StandardOutput, Json(rows, language));
        }
        else
        {
            var table = new Table().Border(TableBorder.Simple).AddColumns("#", "Exercise", "Title", "State");
            foreach (var (exercise, status) in rows)
            {
                table.AddRow(
                    exercise.Number.ToString("00", CultureInfo.InvariantCulture),
                    Markup.Escape(exercise.Id),
                    Markup.Escape(exercise.Title_(language)),
                    status switch
                    {
                        "passed" => "[green]passed[/]",
                        "current" => "[yellow]current[/]",
                        "written" => "written",
                        _ => "[dim]not started[/]",
                    }
                );
            }
            console.Write(table);
        }
        if (workspace is null)
        {
            errors.Console.MarkupLine("[dim]No workspace here: run 'kata next' to start.[/]");
        }
        return ExitCodes.Passed;
    }

    private static byte[] Json(IEnumerable<(Exercise Exercise, string State)> rows, Language language)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartArray();
            foreach (var (exercise, state) in rows)
            {
                json.WriteStartObject();
                json.WriteNumber("number", exercise.Number);
                json.WriteString("id", exercise.Id);
                json.WriteString("folder", "exercises/" + exercise.Slug);
                json.WriteString("title", exercise.Title_(language));
                json.WriteString("state", state);
                json.WriteEndObject();
            }
            json.WriteEndArray();
        }
        buffer.WriteByte((byte)'\n');
        return buffer.ToArray();
    }
}
