using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using ConcurrencyKata.Catalog;
using ConcurrencyKata.Reports;
using ConcurrencyKata.Verification;
using ConcurrencyKata.Workspace;

namespace ConcurrencyKata.Grading;

/// <param name="Exercises">The exercises to grade; null: those each submission has.</param>
public sealed record GradingOptions(string OutputDirectory, int Parallelism, Shard Shard, TimeSpan TimeLimit)
{
    public IReadOnlyList<Exercise>? Exercises { get; init; }
}

/// <summary>One submission graded: its gradebook rows and how long it took.</summary>
public sealed record SubmissionGrade(string Student, IReadOnlyList<GradeRow> Rows, TimeSpan Duration);

/// <summary>A class graded: each submission, and how long the build every copy shares took.</summary>
public sealed record ClassGrade(IReadOnlyList<SubmissionGrade> Submissions, TimeSpan Preparation);

/// <summary>
/// Grades a folder of submissions: each in an isolated copy (the learner's Program.cs files in a fresh
/// workspace), a bounded number at a time, each with a time limit; writes &lt;student&gt;/results.json,
/// gradebook.csv, summary.md and summary.html. A submission that cannot be graded gets error rows and never stops the rest.
/// </summary>
public sealed class ClassGrader(Course course, ISubmissionGrader grader)
{
    private const string WorkDirectory = ".work";
    private const string CouldNotBeGraded = "Could not be graded: ";

    public async Task<ClassGrade> GradeAsync(
        IReadOnlyList<Submission> submissions,
        GradingOptions options,
        Action<SubmissionGrade>? onGraded,
        CancellationToken cancellationToken
    )
    {
        ArgumentNullException.ThrowIfNull(submissions);
        ArgumentNullException.ThrowIfNull(options);
        var output = Path.GetFullPath(options.OutputDirectory);
        var work = Path.Combine(output, WorkDirectory);
        DeleteQuietly(work);
        // Closed to everyone else: a program run as another user cannot read the other submissions.
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(work);
        }
        else
        {
            Directory.CreateDirectory(work, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
        // Deleted by the guardian should kata grade be killed before it deletes it itself.
        using var guarded = Harness.Guardian.Folder(work);
        try
        {
            var located = submissions.Select(s => (Submission: s, Located: Locate(s))).ToList();
            var needed =
                options.Exercises
                ?? course
                    .Exercises.Where(e =>
                        located.Any(l => l.Located.Root is { } root && File.Exists(Submission.ProgramPath(root, e)))
                    )
                    .ToList();
            var template = LearnerWorkspace.Init(Path.Combine(work, ".template"), course);
            foreach (var exercise in needed)
            {
                Scaffolder.Scaffold(template, exercise);
            }
            var preparation = Stopwatch.StartNew();
            await grader.PrepareAsync(template, needed, cancellationToken).ConfigureAwait(false);
            preparation.Stop();

            var grades = new List<SubmissionGrade>();
            await Parallel
                .ForEachAsync(
                    located,
                    new ParallelOptions
                    {
                        MaxDegreeOfParallelism = options.Parallelism,
                        CancellationToken = cancellationToken,
                    },
                    async (item, token) =>
                    {
                        var grade = await GradeOneAsync(
                                item.Submission,
                                item.Located,
                                template,
                                output,
                                work,
                                options,
                                token
                            )
                            .ConfigureAwait(false);
                        lock (grades)
                        {
                            grades.Add(grade);
                        }
                        onGraded?.Invoke(grade);
                    }
                )
                .ConfigureAwait(false);

            Interruption.HoldIfStopping();
            var rows = Gradebook.Sorted(grades.SelectMany(g => g.Rows));
            var title = options.Shard.Count == 1 ? "Grades" : $"Grades, shard {options.Shard}";
            Gradebook.WriteAll(rows, output, title);
            return new ClassGrade([.. grades.OrderBy(g => g.Student, StringComparer.Ordinal)], preparation.Elapsed);
        }
        finally
        {
            DeleteQuietly(work);
        }
    }

    /// <summary>Where the submission's workspace is, or why it could not be searched.</summary>
    private (string? Root, string? Failure) Locate(Submission submission)
    {
        try
        {
            return (submission.WorkspaceRoot(course), null);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return (null, CouldNotBeGraded + e.Message);
        }
    }

    private async Task<SubmissionGrade> GradeOneAsync(
        Submission submission,
        (string? Root, string? Failure) located,
        LearnerWorkspace template,
        string output,
        string work,
        GradingOptions options,
        CancellationToken cancellationToken
    )
    {
        var clock = Stopwatch.StartNew();
        var studentOutput = Path.Combine(output, submission.Student);
        var resultsPath = Path.Combine(studentOutput, "results.json");
        var present = located.Root is { } found ? Submission.Present(found, course) : [];
        var wanted = options.Exercises ?? present;
        LearnerWorkspace? copy = null;
        try
        {
            if (located.Failure is not null)
            {
                return Unreadable(submission, wanted, located.Failure, resultsPath, clock);
            }
            Directory.CreateDirectory(studentOutput);
            File.Delete(resultsPath);
            if (located.Root is not { } root)
            {
                const string Message = "No exercises/NN-id/Program.cs found in the submission.";
                ResultsJson.Write(ResultsJson.Failure(Message), resultsPath);
                var rows = options.Exercises is { } asked
                    ? asked.Select(e => Row(submission, e, 0, GradeStatus.Missing, Message)).ToList()
                    : [new GradeRow(submission.Student, 0, "", 0, 0, GradeStatus.Error, Message)];
                return new SubmissionGrade(submission.Student, rows, clock.Elapsed);
            }

            copy = LearnerWorkspace.Init(Path.Combine(work, Guid.NewGuid().ToString("N")), course);
            var problems = Submission.CopyPrograms(root, copy, wanted.Intersect(present));
            var graded = wanted.Intersect(present).Except(problems.Keys).ToList();
            SharedBuild.CopyInto(template, copy, graded);

            var verdicts = new Dictionary<Exercise, (int Points, string Status, string Note)>();
            ResultsFile? results = null;
            if (graded.Count > 0)
            {
                var job = new GradingJob(
                    submission.Student,
                    copy.Root,
                    resultsPath,
                    Path.Combine(studentOutput, "verify.log"),
                    options.TimeLimit
                );
                string? failure;
                try
                {
                    var run = await grader.GradeAsync(job, cancellationToken).ConfigureAwait(false);
                    results = run.EndedNormally ? TryParse(run.Results) : null;
                    failure =
                        run.TimedOut
                            ? string.Create(
                                CultureInfo.InvariantCulture,
                                $"Grading stopped at the time limit of {options.TimeLimit.TotalSeconds:0} s."
                            )
                        : !run.EndedNormally
                            ? string.Create(
                                CultureInfo.InvariantCulture,
                                $"Verification did not end normally ({Ending(run.ExitCode)}): its results, if any, are not trusted, and earn no points; see verify.log."
                            )
                        : results is null
                            ? string.Create(
                                CultureInfo.InvariantCulture,
                                $"Verification ended (exit code {run.ExitCode}) without results; see verify.log."
                            )
                        : null;
                    if (results is not null)
                    {
                        ResultsJson.Write(results, resultsPath);
                    }
                }
                catch (Exception e)
                    when (e
                            is IOException
                                or UnauthorizedAccessException
                                or InvalidOperationException
                                or System.ComponentModel.Win32Exception
                    )
                {
                    failure = CouldNotBeGraded + e.Message;
                }
                if (failure is not null)
                {
                    results = null;
                    ResultsJson.Write(ResultsJson.Failure(failure), resultsPath);
                    foreach (var exercise in graded)
                    {
                        verdicts[exercise] = (0, GradeStatus.Error, failure);
                    }
                }
            }
            else
            {
                ResultsJson.Write(ResultsJson.Failure("Nothing in the submission could be graded."), resultsPath);
            }
            if (results is not null)
            {
                foreach (var exercise in graded)
                {
                    verdicts[exercise] = Verdict(results, exercise);
                }
            }

            // Every wanted exercise is graded (a verdict), refused (a problem) or missing.
            var gradeRows = new List<GradeRow>();
            foreach (var exercise in wanted)
            {
                gradeRows.Add(
                    verdicts.TryGetValue(exercise, out var verdict)
                        ? Row(submission, exercise, verdict.Points, verdict.Status, verdict.Note)
                    : problems.TryGetValue(exercise, out var problem)
                        ? Row(submission, exercise, 0, GradeStatus.Error, problem)
                    : Row(submission, exercise, 0, GradeStatus.Missing, "Not in the submission.")
                );
            }
            return new SubmissionGrade(submission.Student, gradeRows, clock.Elapsed);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or KataException)
        {
            // One unreadable or unwritable folder costs this submission its grade, never the class its gradebook.
            return Unreadable(submission, wanted, CouldNotBeGraded + e.Message, resultsPath, clock);
        }
        finally
        {
            if (copy is not null)
            {
                DeleteQuietly(copy.Root);
            }
        }
    }

    /// <summary>Error rows for a submission that could not be read or prepared: one per wanted exercise, or one for the submission.</summary>
    private static SubmissionGrade Unreadable(
        Submission submission,
        IReadOnlyList<Exercise> wanted,
        string failure,
        string resultsPath,
        Stopwatch clock
    )
    {
        try
        {
            ResultsJson.Write(ResultsJson.Failure(failure), resultsPath);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or KataException) { }
        var rows =
            wanted.Count > 0
                ? wanted.Select(e => Row(submission, e, 0, GradeStatus.Error, failure)).ToList()
                : [new GradeRow(submission.Student, 0, "", 0, 0, GradeStatus.Error, failure)];
        return new SubmissionGrade(submission.Student, rows, clock.Elapsed);
    }

    /// <summary>
    /// The exercise's verdict from the verification's results. The points are recomputed here from
    /// each check's declared points (a pass earns them, anything else none), never read from the
    /// results: results that do not list exactly the exercise's checks, each once, are refused.
    /// </summary>
    internal static (int Points, string Status, string Note) Verdict(ResultsFile results, Exercise exercise)
    {
        var tests = results.Tests.Where(t => t.TaskId == exercise.Number).ToList();
        if (tests.Count == 0)
        {
            return (0, GradeStatus.Error, "The verification reported no checks for it.");
        }
        var checks = SpecCatalog
            .Checks(exercise.Id)
            .ToDictionary(c => $"{exercise.Slug}: {c.Name.Replace('_', ' ')}", StringComparer.Ordinal);
        var names = tests.Select(t => t.Name).ToList();
        var unknown = names.Where(n => !checks.ContainsKey(n)).Distinct(StringComparer.Ordinal).ToList();
        var repeated = names.GroupBy(n => n, StringComparer.Ordinal).Where(g => g.Count() > 1).Select(g => g.Key);
        var missing = checks.Keys.Except(names, StringComparer.Ordinal).ToList();
        if (unknown.Count > 0 || repeated.Any() || missing.Count > 0)
        {
            return (
                0,
                GradeStatus.Error,
                "Refused: the verification's results do not list exactly this exercise's checks"
                    + (unknown.Count > 0 ? $" (not a check of it: {string.Join(", ", unknown.Take(3))})" : "")
                    + (missing.Count > 0 ? $" (missing: {string.Join(", ", missing.Take(3))})" : "")
                    + ", so they were not written by kata alone. No points."
            );
        }
        var points = tests.Where(t => t.Status == ResultsJson.Pass).Sum(t => checks[t.Name].Points);
        if (ResultsJson.DidNotBuild(results, exercise.Slug))
        {
            var error = results
                .Message?.Split('\n')
                .FirstOrDefault(l => l.Contains("error", StringComparison.OrdinalIgnoreCase));
            return (0, GradeStatus.BuildFailed, "Did not build" + (error is null ? "." : ": " + error.Trim()));
        }
        var failing = tests
            .Where(t => t.Status != ResultsJson.Pass)
            .Select(t => t.Name[(exercise.Slug.Length + 2)..])
            .ToList();
        return failing.Count == 0
            ? (points, GradeStatus.Passed, "")
            : (
                points,
                GradeStatus.Failed,
                "Not passed: "
                    + string.Join("; ", failing.Take(3))
                    + (
                        failing.Count > 3
                            ? string.Create(CultureInfo.InvariantCulture, $"; and {failing.Count - 3} more")
                            : ""
                    )
                    + "."
            );
    }

    private static GradeRow Row(Submission submission, Exercise exercise, int points, string status, string note) =>
        new(
            submission.Student,
            exercise.Number,
            exercise.Id,
            points,
            SpecCatalog.Checks(exercise.Id).Sum(c => c.Points),
            status,
            note
        );

    /// <summary>"exit code 70", or the signal that killed it (a shell reports death by signal N as 128 + N).</summary>
    private static string Ending(int? exitCode) =>
        exitCode switch
        {
            null => "no exit code",
            > 128 and < 160 => string.Create(
                CultureInfo.InvariantCulture,
                $"exit code {exitCode}: killed by signal {exitCode - 128}"
            ),
            _ => string.Create(CultureInfo.InvariantCulture, $"exit code {exitCode}"),
        };

    private static ResultsFile? TryParse(string? json)
    {
        try
        {
            return json is null ? null : ResultsJson.Parse(json);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static ResultsFile? TryRead(string path)
    {
        try
        {
            return File.Exists(path) ? ResultsJson.Read(path) : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static void DeleteQuietly(string directory)
    {
        try
        {
            if (Directory.Exists(directory))
            {
                Directory.Delete(directory, recursive: true);
            }
        }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }
}
