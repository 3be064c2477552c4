using System.ComponentModel;
using System.Globalization;
using ConcurrencyKata.Catalog;
using ConcurrencyKata.Console;
using ConcurrencyKata.Workspace;
using Spectre.Console;
using Spectre.Console.Cli;

namespace ConcurrencyKata.Commands;

[Description(
    "Set up a kata workspace in the current folder (or --workspace DIR); 'kata next' does this for you. "
        + "--ci github|gitlab adds the CI workflow that verifies every exercise on each push; with --grader, "
        + "the workflow that grades a teacher's repository of submissions instead."
)]
public sealed class InitCommand(IAnsiConsole console, ErrorConsole errors, Course course)
    : Command<InitCommand.Settings>
{
    public sealed class Settings : WorkspaceSettings
    {
        [CommandOption("--ci <SYSTEM>")]
        [Description(
            "Also write a CI workflow: github (.github/workflows/kata.yml) or gitlab (.gitlab-ci.yml), with what installs this kata version."
        )]
        public string? Ci { get; init; }

        [CommandOption("--grader")]
        [Description(
            "With --ci: write the grading workflow for a teacher's repository of submissions (one folder per student) instead; no workspace is made."
        )]
        public bool Grader { get; init; }

        [CommandOption("--shards <N>")]
        [Description("With --grader: how many CI jobs grade the class in parallel. Default: 4.")]
        public int Shards { get; init; } = 4;

        [CommandOption("--submissions <DIR>")]
        [Description("With --grader: the folder of submissions, relative to the repository. Default: submissions.")]
        public string Submissions { get; init; } = "submissions";

        [CommandOption("--feed <URL>")]
        [Description(
            $"With --ci: install kata in CI from this NuGet feed (a secret {CiWorkflow.TokenSecret} signs in when set), not from packages carried in the repository."
        )]
        public string? Feed { get; init; }

        [CommandOption("--packages <DIR>")]
        [Description(
            "With --ci: the folder with this version's ConcurrencyKata*.nupkg files to carry in the repository. Default: the packages kata was installed from."
        )]
        public string? Packages { get; init; }

        public override ValidationResult Validate() =>
            Ci is not null && !CiWorkflow.Systems.Contains(Ci)
                ? ValidationResult.Error($"--ci takes {string.Join(" or ", CiWorkflow.Systems)}, not '{Ci}'.")
            : Ci is null && (Grader || Feed is not null || Packages is not null)
                ? ValidationResult.Error("--grader, --feed and --packages go with --ci github|gitlab.")
            : Feed is not null && Packages is not null ? ValidationResult.Error("Give --feed or --packages, not both.")
            : Feed is not null
            && !(
                Uri.TryCreate(Feed, UriKind.Absolute, out var uri)
                && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp)
            )
                ? ValidationResult.Error($"--feed takes a feed's URL (https://…/index.json), not '{Feed}'.")
            : Shards is < 1 or > 256 ? ValidationResult.Error("--shards takes a number from 1 to 256.")
            : Grader && (Path.IsPathRooted(Submissions) || Submissions.Split('/', '\\').Contains(".."))
                ? ValidationResult.Error("--submissions takes a folder inside the repository, such as submissions.")
            : ValidationResult.Success();
    }

    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        var directory = Path.GetFullPath(settings.Workspace ?? Directory.GetCurrentDirectory());
        if (settings.Grader)
        {
            // A teacher's repository of submissions, not a workspace: the tool source first, so a
            // missing package leaves nothing half written.
            var graderSource = Source(settings);
            Directory.CreateDirectory(directory);
            WriteSource(directory, graderSource);
            var grader = Path.Combine(directory, CiWorkflow.GraderRelativePath(settings.Ci!));
            WriteWorkflow(
                grader,
                CiWorkflow.GraderContent(settings.Ci!, graderSource, settings.Shards, settings.Submissions.TrimEnd('/'))
            );
            WriteManifest(directory);
            console.MarkupLine(
                string.Create(
                    CultureInfo.InvariantCulture,
                    $"Put one folder per student in {Markup.Escape(settings.Submissions)}/ and push: {settings.Shards} jobs grade them, then one merges their gradebooks."
                )
            );
            return ExitCodes.Passed;
        }

        var source = settings.Ci is null ? null : Source(settings);
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
            WriteSource(workspace.Root, source!);
            WriteWorkflow(
                Path.Combine(workspace.Root, CiWorkflow.RelativePath(settings.Ci)),
                CiWorkflow.Content(settings.Ci, source!)
            );
            WriteManifest(workspace.Root);
            if (GitRootAbove(workspace.Root) is { } gitRoot)
            {
                // CI systems read workflows at the repository's root and start there.
                errors.Console.MarkupLine(
                    $"[yellow]warning:[/] this workspace is inside the repository {Markup.Escape(Paths.Display(gitRoot))}, not at its root: CI reads {Markup.Escape(CiWorkflow.RelativePath(settings.Ci))} only at a repository's root, and the workflow expects the workspace to be the whole repository."
                );
            }
        }
        console.MarkupLine("Run [bold]kata next[/] to get the next exercise.");
        return ExitCodes.Passed;
    }

    /// <summary>Where CI will install kata from: the feed given, or this version's packages (given, or those kata was installed from).</summary>
    private static ToolSource Source(Settings settings)
    {
        if (settings.Feed is not null)
        {
            return new ToolSource.Feed(settings.Feed);
        }
        var version = CiWorkflow.ToolVersion();
        IReadOnlyList<string> packages;
        if (settings.Packages is not null)
        {
            if (!Directory.Exists(settings.Packages))
            {
                throw new KataException($"The folder {settings.Packages} does not exist.", ExitCodes.Usage);
            }
            packages = CiWorkflow.PackagesIn(settings.Packages);
        }
        else
        {
            packages = CiWorkflow.InstalledPackages();
            if (packages.Count == 0)
            {
                throw new KataException(
                    "This kata runs from a build, not from an installed package, so it has no package for CI to install. "
                        + $"Pack it (dotnet pack src/ConcurrencyKata -o DIR) and pass --packages DIR, or pass --feed URL of a feed that serves ConcurrencyKata {version}.",
                    ExitCodes.Usage
                );
            }
        }
        if (
            !packages.Any(p =>
                string.Equals(
                    Path.GetFileName(p),
                    $"ConcurrencyKata.{version}.nupkg",
                    StringComparison.OrdinalIgnoreCase
                )
            )
        )
        {
            throw new KataException(
                $"{settings.Packages ?? "The installed tool"} has no ConcurrencyKata.{version}.nupkg (the package 'dotnet tool restore' asks for): "
                    + "pass --packages DIR with the files 'dotnet pack' wrote.",
                ExitCodes.Usage
            );
        }
        return new ToolSource.Bundled(packages);
    }

    private void WriteSource(string root, ToolSource source)
    {
        if (source is ToolSource.Bundled bundled)
        {
            var tools = Path.Combine(root, CiWorkflow.ToolsFolder);
            foreach (var package in bundled.Packages)
            {
                SafeFile.Write(
                    Path.Combine(tools, Path.GetFileName(package).ToLowerInvariant()),
                    File.ReadAllBytes(package)
                );
            }
            // Common .gitignore files leave *.nupkg out of a repository; these must be committed.
            SafeFile.WriteText(Path.Combine(tools, ".gitignore"), "!*.nupkg\n");
            var platforms = bundled
                .Packages.Select(p => Path.GetFileName(p).ToLowerInvariant())
                .Select(n => n["concurrencykata".Length..^$".{CiWorkflow.ToolVersion()}.nupkg".Length].TrimStart('.'))
                .Where(n => n.Length > 0)
                .ToList();
            console.MarkupLine(
                $"Copied kata {Markup.Escape(CiWorkflow.ToolVersion())}'s packages to {Markup.Escape(Paths.Display(tools))}"
                    + (platforms.Count > 0 ? $" ({Markup.Escape(string.Join(", ", platforms))})" : "")
                    + ": CI installs kata from there, with no feed and offline too. Commit them."
            );
            if (platforms.Count > 0 && !platforms.Contains("any"))
            {
                errors.Console.MarkupLine(
                    $"[yellow]note:[/] these serve CI runners on {Markup.Escape(string.Join(", ", platforms))} only (GitHub's ubuntu-latest and GitLab's shared runners are linux-x64); for other runners pass --packages with every package 'dotnet pack' wrote."
                );
            }
        }
        else if (source is ToolSource.Feed feed)
        {
            console.MarkupLine(
                $"CI installs kata from the feed {Markup.Escape(feed.Url)}; if it needs a token, store it as the secret {CiWorkflow.TokenSecret}."
            );
        }

        var config = Path.Combine(root, "nuget.config");
        var existing = NuGetConfigNames.Select(name => Path.Combine(root, name)).FirstOrDefault(File.Exists);
        if (existing is null)
        {
            SafeFile.WriteText(config, CiWorkflow.NuGetConfig(source));
            console.MarkupLine($"Wrote {Markup.Escape(Paths.Display(config))}, which names that source.");
        }
        else if (!File.ReadAllText(existing).Contains($"key=\"{CiWorkflow.SourceName}\"", StringComparison.Ordinal))
        {
            errors.Console.MarkupLine(
                $"[yellow]warning:[/] {Markup.Escape(Paths.Display(existing))} was already there and was kept: add the source "
                    + Markup.Escape(
                        $"<add key=\"{CiWorkflow.SourceName}\" value=\"{(source is ToolSource.Feed f ? f.Url : CiWorkflow.ToolsFolder.Replace('\\', '/'))}\" />"
                    )
                    + " to its <packageSources>."
            );
        }
    }

    /// <summary>The names NuGet reads a repository's configuration under.</summary>
    private static readonly string[] NuGetConfigNames = ["nuget.config", "NuGet.config", "NuGet.Config"];

    private void WriteWorkflow(string path, string content)
    {
        if (WriteIfMissing(path, content))
        {
            console.MarkupLine($"Wrote the CI workflow {Markup.Escape(Paths.Display(path))}.");
        }
        else
        {
            errors.Console.MarkupLine(
                $"[yellow]warning:[/] {Markup.Escape(Paths.Display(path))} was already there and was kept."
            );
        }
    }

    private void WriteManifest(string root)
    {
        var manifest = Path.Combine(root, ".config", "dotnet-tools.json");
        if (WriteIfMissing(manifest, CiWorkflow.ToolManifest()))
        {
            console.MarkupLine(
                $"Pinned kata {Markup.Escape(CiWorkflow.ToolVersion())} in {Markup.Escape(Paths.Display(manifest))}: CI installs it with 'dotnet tool restore'."
            );
        }
        else if (!File.ReadAllText(manifest).Contains("\"concurrencykata\"", StringComparison.OrdinalIgnoreCase))
        {
            errors.Console.MarkupLine(
                $"[yellow]warning:[/] {Markup.Escape(Paths.Display(manifest))} does not pin kata yet: run 'dotnet tool install ConcurrencyKata --version {Markup.Escape(CiWorkflow.ToolVersion())}' here."
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
        SafeFile.WriteText(path, content);
        return true;
    }
}
