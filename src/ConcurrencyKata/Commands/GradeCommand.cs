using System.ComponentModel;
using System.Globalization;
using ConcurrencyKata.Catalog;
using ConcurrencyKata.Console;
using ConcurrencyKata.Grading;
using Spectre.Console;
using Spectre.Console.Cli;

namespace ConcurrencyKata.Commands;

[Description(
    "Grade a folder of submissions (one sub-folder per student: a workspace or a clone), in parallel, each in an isolated copy. "
        + "Writes gradebook.csv, summary.md, summary.html, junit.xml (a suite per student) and <student>/results.json. --merge combines the outputs of sharded runs."
)]
public sealed class GradeCommand(IAnsiConsole console, Course course, ISubmissionGrader grader)
    : AsyncCommand<GradeCommand.Settings>
{
    public sealed class Settings : CommandSettings
    {
        [CommandArgument(0, "<DIR>")]
        [Description(
            "The submissions folder, with one sub-folder per student; with --merge, the output folders of the shards."
        )]
        public string[] Folders { get; init; } = [];

        [CommandOption("--merge")]
        [Description(
            "Combine the outputs of 'kata grade --shard' runs (the folders given) into one gradebook in --out."
        )]
        public bool Merge { get; init; }

        [CommandOption("-o|--out <DIR>")]
        [Description("Where the gradebook and the reports go. Default: grades.")]
        public string Out { get; init; } = "grades";

        [CommandOption("-p|--parallel <N>")]
        [Description("How many submissions are graded at once. Default: the number of cores.")]
        public int? Parallel { get; init; }

        [CommandOption("--shard <I/N>")]
        [Description(
            "Grade only the i-th of n slices of the class (students sorted by name), e.g. 2/5; 'kata grade --merge' combines the shards."
        )]
        public string? Shard { get; init; }

        [CommandOption("-e|--exercise <EXERCISE>")]
        [Description(
            "An exercise to grade (repeatable); a submission without it scores 0. Default: the exercises each submission has."
        )]
        public string[] Exercises { get; init; } = [];

        [CommandOption("--time-limit <SECONDS>")]
        [Description("How long one submission may take, build and every exercise included. Default: 600.")]
        public int TimeLimit { get; init; } = 600;

        public override ValidationResult Validate() =>
            !Merge && Folders.Length != 1
                ? ValidationResult.Error("Give one submissions folder (or --merge and the shards' folders).")
            : Merge && Shard is not null ? ValidationResult.Error("--merge combines shards; it takes no --shard.")
            : Parallel is < 1 ? ValidationResult.Error("--parallel must be at least 1.")
            : TimeLimit < 1 ? ValidationResult.Error("--time-limit must be at least 1 second.")
            : ValidationResult.Success();
    }

    public override async Task<int> ExecuteAsync(
        CommandContext context,
        Settings settings,
        CancellationToken cancellationToken
    )
    {
        if (settings.Merge)
        {
            var students = GradebookMerge.Merge(settings.Folders, settings.Out);
            var merged = Path.Combine(Path.GetFullPath(settings.Out), Gradebook.FileName);
            console.MarkupLine(
                $"Merged {settings.Folders.Length} shards, {students} students, into {Markup.Escape(Paths.Display(merged))}."
            );
            return ExitCodes.Passed;
        }
        var shard = settings.Shard is null ? Shard.All : Shard.Parse(settings.Shard);
        var exercises =
            settings.Exercises.Length == 0 ? null : settings.Exercises.Select(course.Find).Distinct().ToList();
        var output = Path.GetFullPath(settings.Out);
        var all = Submission.List(settings.Folders[0], except: output);
        var chosen = shard.Select(all.Select(s => s.Student)).ToHashSet(StringComparer.Ordinal);
        var submissions = all.Where(s => chosen.Contains(s.Student)).ToList();
        var parallelism = settings.Parallel ?? Environment.ProcessorCount;
        Directory.CreateDirectory(output);

        console.MarkupLine(
            string.Create(CultureInfo.InvariantCulture, $"Grading {submissions.Count} of {all.Count} submissions")
                + (shard.Count > 1 ? $" (shard {shard})" : "")
                + string.Create(
                    CultureInfo.InvariantCulture,
                    $", {parallelism} at a time, at most {settings.TimeLimit} s each; exercises: "
                )
                + Markup.Escape(
                    exercises is null ? "those each submission has" : string.Join(", ", exercises.Select(e => e.Slug))
                )
                + "."
        );
        var done = 0;
        var gate = new Lock();
        var options = new GradingOptions(output, parallelism, shard, TimeSpan.FromSeconds(settings.TimeLimit))
        {
            Exercises = exercises,
        };
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var graded = await new ClassGrader(course, grader)
            .GradeAsync(
                submissions,
                options,
                grade =>
                {
                    lock (gate)
                    {
                        done++;
                        console.MarkupLine($"  [[{done}/{submissions.Count}]] {Describe(grade)}");
                    }
                },
                cancellationToken
            )
            .ConfigureAwait(false);
        var busy = graded.Submissions.Sum(g => g.Duration.TotalSeconds);
        var prepared = graded.Preparation.TotalSeconds;
        console.MarkupLine(
            string.Create(
                CultureInfo.InvariantCulture,
                $"Graded {graded.Submissions.Count} submissions in {clock.Elapsed.TotalSeconds:0.0} s: {prepared:0.0} s for the shared build, "
                    + $"then {clock.Elapsed.TotalSeconds - prepared:0.0} s for {busy:0.0} s of grading, {parallelism} at a time."
            )
        );
        console.MarkupLine(
            $"Gradebook: {Markup.Escape(Paths.Display(Path.Combine(output, Gradebook.FileName)))}; "
                + $"summary: {Markup.Escape(Paths.Display(Path.Combine(output, Gradebook.SummaryFileName)))} "
                + $"and {Markup.Escape(Paths.Display(Path.Combine(output, Gradebook.HtmlSummaryFileName)))}; JUnit: {Markup.Escape(Paths.Display(Path.Combine(output, Gradebook.JUnitFileName)))}."
        );
        return ExitCodes.Passed;
    }

    private static string Describe(SubmissionGrade grade)
    {
        var points = grade.Rows.Sum(r => r.Points);
        var max = grade.Rows.Sum(r => r.MaxPoints);
        var problems = grade
            .Rows.Where(r => r.Status != GradeStatus.Passed)
            .Select(r => r.Exercise.Length > 0 ? $"{r.Exercise} {r.Status}" : r.Status);
        var detail = string.Join(", ", problems);
        return Markup.Escape(
            string.Create(
                CultureInfo.InvariantCulture,
                $"{grade.Student}: {points} of {max} points{(detail.Length > 0 ? " (" + detail + ")" : "")} in {grade.Duration.TotalSeconds:0.0} s"
            )
        );
    }
}
