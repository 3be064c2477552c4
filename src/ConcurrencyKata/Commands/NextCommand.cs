using System.ComponentModel;
using ConcurrencyKata.Catalog;
using ConcurrencyKata.Console;
using ConcurrencyKata.Workspace;
using Spectre.Console;
using Spectre.Console.Cli;

namespace ConcurrencyKata.Commands;

[Description("Write the next exercise into exercises/ (starting a workspace here if there is none).")]
public sealed class NextCommand(IAnsiConsole console, Course course) : Command<NextCommand.Settings>
{
    public sealed class Settings : LanguageSettings
    {
        [CommandOption("--skip")]
        [Description("Move on even though the current exercise has not passed yet.")]
        public bool Skip { get; init; }
    }

    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        var start = settings.Workspace ?? Directory.GetCurrentDirectory();
        var workspace = LearnerWorkspace.Find(start) ?? LearnerWorkspace.Init(start, course);
        var language = settings.Language(workspace);
        var state = workspace.LoadState();
        var current = state.Current is null ? null : course.Exercises.FirstOrDefault(e => e.Id == state.Current);
        if (current is not null && !state.HasPassed(current.Id) && !settings.Skip)
        {
            // Refused because of where the learner is, not because a check failed: exit 2, on stderr.
            throw new KataException(
                $"You have not passed exercise {current.Number} ({current.Id}) yet. "
                    + "Run 'kata verify' until it passes, or 'kata next --skip' to move on anyway.",
                ExitCodes.Usage
            );
        }
        var next = course.After(current);
        if (next is null)
        {
            console.MarkupLine(
                "[green]You have reached the end of the course. Well done![/] 'kata list' shows your progress."
            );
            return ExitCodes.Passed;
        }
        var result = Scaffolder.Scaffold(workspace, next);
        workspace.SaveState(state with { Current = next.Id });
        var relative = Paths.Display(result.Directory);
        console.MarkupLine($"[bold]Exercise {next.Number}: {Markup.Escape(next.Title_(language))}[/]");
        console.MarkupLine($"  Your program:  {Markup.Escape(Path.Combine(relative, "Program.cs"))}");
        console.MarkupLine(
            $"  Instructions:  {Markup.Escape(Path.Combine(relative, "README.md"))} (中文: {Markup.Escape(Path.Combine(relative, "README.zh-CN.md"))})"
        );
        if (result.Kept.Contains("Program.cs"))
        {
            console.MarkupLine("  [yellow]Program.cs was already there and was kept as it is.[/]");
        }
        console.MarkupLine(
            "Edit Program.cs, then run [bold]kata verify[/]. [dim]kata hint[/] helps when you are stuck."
        );
        return ExitCodes.Passed;
    }
}
