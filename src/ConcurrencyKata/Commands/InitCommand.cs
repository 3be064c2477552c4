using System.ComponentModel;
using ConcurrencyKata.Catalog;
using ConcurrencyKata.Workspace;
using Spectre.Console;
using Spectre.Console.Cli;

namespace ConcurrencyKata.Commands;

[Description("Set up a kata workspace in the current folder (or --workspace DIR). 'kata next' does this for you.")]
public sealed class InitCommand(IAnsiConsole console, Course course) : Command<InitCommand.Settings>
{
    public sealed class Settings : WorkspaceSettings;

    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        var directory = Path.GetFullPath(settings.Workspace ?? Directory.GetCurrentDirectory());
        var existing = LearnerWorkspace.Find(directory);
        if (existing is not null)
        {
            console.MarkupLine(
                $"{Markup.Escape(existing.Root)} is already a kata workspace. Run 'kata next' to continue."
            );
            return ExitCodes.Passed;
        }
        var workspace = LearnerWorkspace.Init(directory, course);
        console.MarkupLine($"Created a kata workspace in [bold]{Markup.Escape(workspace.Root)}[/].");
        console.MarkupLine("Run [bold]kata next[/] to get the first exercise.");
        return ExitCodes.Passed;
    }
}
