using System.ComponentModel;
using ConcurrencyKata.Catalog;
using ConcurrencyKata.Console;
using ConcurrencyKata.Workspace;
using Spectre.Console;
using Spectre.Console.Cli;

namespace ConcurrencyKata.Commands;

[Description(
    "Set up a kata workspace in the current folder (or --workspace DIR). 'kata next' does this for you. "
        + "--ci github|gitlab adds the CI workflow that verifies every exercise on each push."
)]
public sealed class InitCommand(IAnsiConsole console, ErrorConsole errors, Course course)
    : Command<InitCommand.Settings>
{
    public sealed class Settings : WorkspaceSettings
    {
        [CommandOption("--ci <SYSTEM>")]
        [Description(
            "Also write a CI workflow for a student repository: github (.github/workflows/kata.yml) or gitlab (.gitlab-ci.yml)."
        )]
        public string? Ci { get; init; }

        public override ValidationResult Validate() =>
            Ci is null || CiWorkflow.Systems.Contains(Ci)
                ? ValidationResult.Success()
                : ValidationResult.Error($"--ci takes {string.Join(" or ", CiWorkflow.Systems)}, not '{Ci}'.");
    }

    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        var directory = Path.GetFullPath(settings.Workspace ?? Directory.GetCurrentDirectory());
        var workspace = LearnerWorkspace.Find(directory);
        if (workspace is not null)
        {
            console.MarkupLine($"{Markup.Escape(workspace.Root)} is already a kata workspace.");
        }
        else
        {
            workspace = LearnerWorkspace.Init(directory, course);
            console.MarkupLine($"Created a kata workspace in [bold]{Markup.Escape(workspace.Root)}[/].");
        }
        if (settings.Ci is not null)
        {
            WriteCi(workspace, settings.Ci);
        }
        console.MarkupLine("Run [bold]kata next[/] to get the next exercise.");
        return ExitCodes.Passed;
    }

    private void WriteCi(LearnerWorkspace workspace, string system)
    {
        var workflow = Path.Combine(workspace.Root, CiWorkflow.RelativePath(system));
        if (WriteIfMissing(workflow, CiWorkflow.Content(system)))
        {
            console.MarkupLine($"Wrote the CI workflow {Markup.Escape(Paths.Display(workflow))}.");
        }
        else
        {
            errors.Console.MarkupLine(
                $"[yellow]warning:[/] {Markup.Escape(Paths.Display(workflow))} was already there and was kept."
            );
        }
        var manifest = Path.Combine(workspace.Root, ".config", "dotnet-tools.json");
        if (WriteIfMissing(manifest, CiWorkflow.ToolManifest()))
        {
            console.MarkupLine(
                $"Pinned kata {Markup.Escape(CiWorkflow.ToolVersion())} in {Markup.Escape(Paths.Display(manifest))}: CI installs it with 'dotnet tool restore'."
            );
        }
        else if (!File.ReadAllText(manifest).Contains("\"concurrencykata\"", StringComparison.OrdinalIgnoreCase))
        {
            errors.Console.MarkupLine(
                $"[yellow]warning:[/] {Markup.Escape(Paths.Display(manifest))} does not pin kata yet: run 'dotnet tool install ConcurrencyKata' here."
            );
        }
        if (GitRootAbove(workspace.Root) is { } gitRoot)
        {
            // CI systems read workflows at the repository's root and start there.
            errors.Console.MarkupLine(
                $"[yellow]warning:[/] this workspace is inside the repository {Markup.Escape(Paths.Display(gitRoot))}, not at its root: CI reads {Markup.Escape(CiWorkflow.RelativePath(system))} only at a repository's root, and the workflow expects the workspace to be the whole repository."
            );
        }
    }

    /// <summary>The git repository that contains <paramref name="root"/> from a folder above it; null when root is a repository's root or in none.</summary>
    private static string? GitRootAbove(string root)
    {
        for (var directory = new DirectoryInfo(root); directory is not null; directory = directory.Parent)
        {
            if (Path.Exists(Path.Combine(directory.FullName, ".git")))
            {
                return directory.FullName == new DirectoryInfo(root).FullName ? null : directory.FullName;
            }
        }
        return null;
    }

    private static bool WriteIfMissing(string path, string content)
    {
        if (File.Exists(path))
        {
            return false;
        }
        Workspace.SafeFile.WriteText(path, content);
        return true;
    }
}
