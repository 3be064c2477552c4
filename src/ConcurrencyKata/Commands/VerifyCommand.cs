using System.ComponentModel;
using ConcurrencyKata.Catalog;
using ConcurrencyKata.Console;
using ConcurrencyKata.Reports;
using ConcurrencyKata.Verification;
using ConcurrencyKata.Workspace;
using Spectre.Console;
using Spectre.Console.Cli;

namespace ConcurrencyKata.Commands;

[Description(
    "Build your program and check what it really does. Exit code: 0 passed, 1 a check failed, 2 usage or workspace error, 3 the build failed."
)]
public sealed class VerifyCommand(
    IAnsiConsole console,
    Course course,
    Verifier verifier,
    TimeProvider time,
    KataEnvironment environment
) : AsyncCommand<VerifyCommand.Settings>
{
    public sealed class Settings : LanguageSettings
    {
        [CommandArgument(0, "[EXERCISE]")]
        [Description(
            "Exercise id, folder name or number. Default: the exercise whose folder you are in, then the current one."
        )]
        public string? Exercise { get; init; }

        [CommandOption("--all")]
        [Description("Verify every exercise present in the workspace (exit code 0 only if all pass).")]
        public bool All { get; init; }

        [CommandOption("--no-build-servers")]
        [Description("Build without the compiler and MSBuild servers (slower; they are always off when CI is set).")]
        public bool NoBuildServers { get; init; }

        [CommandOption("--seed <SEED>")]
        [Description("Repeat the random choices (durations, counts) of an earlier verification.")]
        public string? Seed { get; init; }

        [CommandOption("--results <FILE>")]
        [Description(
            "Also write the results as Exercism's results.json (version 3) with score and max_score; \"-\" writes them to standard output, and everything else to standard error."
        )]
        public string? Results { get; init; }

        [CommandOption("--junit <FILE>")]
        [Description(
            "Also write the results as JUnit XML (GitLab, Jenkins, GitHub test reporters); \"-\" writes it to standard output."
        )]
        public string? Junit { get; init; }

        [CommandOption("--json")]
        [Description(
            "For scripts: the results as JSON (results.json) on standard output, everything else on standard error."
        )]
        public bool Json { get; init; }

        public override ValidationResult Validate() =>
            All && Exercise is not null ? ValidationResult.Error("Give an exercise or --all, not both.")
            : new[] { Results, Junit }.Count(r => r == ReportFile.StandardOutput) + (Json ? 1 : 0) > 1
                ? ValidationResult.Error("Only one report can go to standard output.")
            : ValidationResult.Success();
    }

    public override async Task<int> ExecuteAsync(
        CommandContext context,
        Settings settings,
        CancellationToken cancellationToken
    )
    {
        var workspace = LearnerWorkspace.Open(settings.Workspace);
        var language = settings.Language(workspace);
        var exercises =
            settings.All ? course.Exercises.Where(workspace.IsPresent).ToList()
            : settings.Exercise is not null ? [course.Find(settings.Exercise)]
            : [workspace.ExerciseHere(course, Directory.GetCurrentDirectory())];
        if (exercises.Count == 0)
        {
            throw new KataException(
                "There is no exercise in this workspace yet. Run 'kata next' to get one.",
                ExitCodes.Usage
            );
        }

        var options = BuildOptions.Default(settings.NoBuildServers);
        var report = new ReportWriter(console);
        var results = new List<ExerciseResult>();
        foreach (var exercise in exercises)
        {
            report.Header(exercise, language);
            var result = await WithProgressAsync(progress =>
                    verifier.VerifyAsync(workspace, exercise, options, progress, settings.Seed, cancellationToken)
                )
                .ConfigureAwait(false);
            // A verdict on a run that Ctrl+C or SIGTERM cut short is not shown, and not recorded.
            Interruption.HoldIfStopping();
            report.Result(result);
            results.Add(result);
            Record(workspace, result);
        }

        WriteReports(settings, workspace, results);

        if (!settings.All)
        {
            var only = results[0];
            if (only.Status == ExerciseStatus.Passed && workspace.LoadState().Current == only.Exercise.Id)
            {
                console.MarkupLine("Run [bold]kata next[/] for the next exercise.");
            }
            return only.ExitCode;
        }
        var passed = results.Count(r => r.Status == ExerciseStatus.Passed);
        console.MarkupLine($"[bold]{passed} of {results.Count} exercises passed.[/]");
        return passed == results.Count ? ExitCodes.Passed : ExitCodes.Failed;
    }

    /// <summary>The files CI systems read, and under GitHub Actions its annotations and step summary.</summary>
    private void WriteReports(Settings settings, LearnerWorkspace workspace, IReadOnlyList<ExerciseResult> results)
    {
        if (settings.Results is not null)
        {
            ResultsJson.Write(ResultsJson.From(results), settings.Results);
        }
        if (settings.Json)
        {
            ResultsJson.Write(ResultsJson.From(results), ReportFile.StandardOutput);
        }
        if (settings.Junit is not null)
        {
            JUnitXml.Write(JUnitXml.From(results, time.GetUtcNow(), Environment.MachineName), settings.Junit);
        }
        if (!environment.IsGitHubActions)
        {
            return;
        }
        // Written around the console's markup and line wrapping: the runner reads these lines verbatim.
        var prefix = GitHubActions.Prefix(workspace.Root, environment["GITHUB_WORKSPACE"]);
        foreach (var annotation in GitHubActions.Annotations(results, prefix))
        {
            console.Profile.Out.Writer.WriteLine(annotation);
        }
        console.Profile.Out.Writer.Flush();
        if (environment["GITHUB_STEP_SUMMARY"] is { Length: > 0 } summary)
        {
            File.AppendAllText(summary, GitHubActions.StepSummary(results));
        }
    }

    private static void Record(LearnerWorkspace workspace, ExerciseResult result)
    {
        if (result.Status == ExerciseStatus.Passed)
        {
            workspace.SaveState(workspace.LoadState().WithPassed(result.Exercise.Id));
        }
    }

    private async Task<ExerciseResult> WithProgressAsync(Func<IVerificationProgress, Task<ExerciseResult>> verify)
    {
        if (!console.Profile.Capabilities.Interactive)
        {
            return await verify(new PlainProgress(console)).ConfigureAwait(false);
        }
        return await console
            .Status()
            .StartAsync("Building…", async ctx => await verify(new LiveProgress(ctx)).ConfigureAwait(false))
            .ConfigureAwait(false);
    }

    private sealed class LiveProgress(StatusContext status) : IVerificationProgress
    {
        private int _done;

        public void Building(Exercise exercise) => status.Status($"Building {exercise.Slug}…");

        public void Checking(Exercise exercise) => status.Status("Running your program and checking it…");

        public void Checked(CheckResult check) =>
            status.Status($"Running your program and checking it… ({Interlocked.Increment(ref _done)} checks done)");
    }

    private sealed class PlainProgress(IAnsiConsole console) : IVerificationProgress
    {
        public void Building(Exercise exercise) =>
            console.MarkupLine($"  [dim]building {Markup.Escape(exercise.Slug)}…[/]");

        public void Checking(Exercise exercise) => console.MarkupLine("  [dim]running and checking…[/]");

        public void Checked(CheckResult check) { }
    }
}
