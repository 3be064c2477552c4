using ConcurrencyKata.Catalog;
using ConcurrencyKata.Grading;
using ConcurrencyKata.Reports;
using ConcurrencyKata.Verification;
using ConcurrencyKata.Workspace;
using Moq;

namespace ConcurrencyKata.Tests;

/// <summary>
/// <c>kata grade</c> with a fake in place of the verification of each submission: what is copied, what
/// is written, how the class is sharded and merged. (The real thing is in the course tests.)
/// </summary>
public sealed class GradeTests
{
    private const string Passing = "// passes every check";
    private const string Failing = "// fails the second check";
    private KataFixture _kata = null!;
    private string _submissions = null!;
    private readonly List<GradingJob> _jobs = [];

    [SetUp]
    public void Create()
    {
        _kata = new KataFixture();
        _jobs.Clear();
        _copied.Clear();
        _slowStudent = null;
        _submissions = Path.Combine(_kata.Folder, "submissions");
        _kata
            .Grader.Setup(g =>
                g.PrepareAsync(
                    It.IsAny<LearnerWorkspace>(),
                    It.IsAny<IReadOnlyList<Exercise>>(),
                    It.IsAny<CancellationToken>()
                )
            )
            .Returns(Task.CompletedTask);
        _kata
            .Grader.Setup(g => g.GradeAsync(It.IsAny<GradingJob>(), It.IsAny<CancellationToken>()))
            .Returns<GradingJob, CancellationToken>((job, _) => Task.FromResult(Verify(job)));
    }

    [TearDown]
    public void Clean() => _kata.Dispose();

    [Test]
    public async Task Kata_grade_writes_a_gradebook_row_per_student_and_exercise_and_each_students_results()
    {
        Student("alice", Passing);
        Student("bob", Failing);
        Directory.CreateDirectory(Path.Combine(_submissions, "carol", "notes"));
        var output = Path.Combine(_kata.Folder, "grades");

        var exit = await _kata.RunWithoutWorkspaceOptionAsync(
            "grade",
            _submissions,
            "--exercise",
            "1",
            "--out",
            output
        );

        Assert.That(exit, Is.EqualTo(0), _kata.Output);
        var max = SpecCatalog.Checks("sequential-download").Sum(c => c.Points);
        Assert.That(
            await File.ReadAllLinesAsync(Path.Combine(output, "gradebook.csv")),
            Is.EqualTo(
                new[]
                {
                    "student,number,exercise,points,max_points,status,note",
                    $"alice,1,sequential-download,{max},{max},passed,",
                    $"bob,1,sequential-download,{max - 1},{max},failed,Not passed: Event log matches what the system saw.",
                    $"carol,1,sequential-download,0,{max},missing,No exercises/NN-id/Program.cs found in the submission.",
                }
            )
        );
        Assert.That(ResultsJson.Read(Path.Combine(output, "alice", "results.json")).Status, Is.EqualTo("pass"));
        Assert.That(ResultsJson.Read(Path.Combine(output, "bob", "results.json")).Score, Is.EqualTo(max - 1));
        Assert.That(ResultsJson.Read(Path.Combine(output, "carol", "results.json")).Status, Is.EqualTo("error"));
        var summary = await File.ReadAllTextAsync(Path.Combine(output, "summary.md"));
        Assert.That(summary, Does.Contain("| student | points | 01 sequential-download |"));
        Assert.That(summary, Does.Contain($"| alice | {max} / {max} | ✅ {max}/{max} |"));
        Assert.That(_kata.Output, Does.Contain("[3/3]"));
        Assert.That(Directory.Exists(Path.Combine(output, ".work")), Is.False, "the isolated copies are removed");
    }

    [Test]
    public async Task Points_come_from_the_checks_declared_points_and_a_verification_that_did_not_end_normally_earns_none()
    {
        Student("killer", Passing);
        Student("inflater", Passing);
        Student("stranger", Passing);
        var output = Path.Combine(_kata.Folder, "g");

        var exit = await _kata.RunWithoutWorkspaceOptionAsync(
            "grade",
            _submissions,
            "--exercise",
            "1",
            "--out",
            output
        );

        Assert.That(exit, Is.EqualTo(0), _kata.Output);
        var max = SpecCatalog.Checks("sequential-download").Sum(c => c.Points);
        var rows = (await File.ReadAllLinesAsync(Path.Combine(output, "gradebook.csv"))).Skip(1).ToList();
        Assert.That(rows[0], Does.StartWith($"inflater,1,sequential-download,{max},{max},passed"));
        Assert.That(
            rows[1],
            Does.StartWith($"killer,1,sequential-download,0,{max},error,")
                .And.Contain("did not end normally (exit code 137: killed by signal 9)")
        );
        Assert.That(
            rows[2],
            Does.StartWith($"stranger,1,sequential-download,0,{max},error,\"Refused")
                .And.Contain("01-sequential-download: Bonus")
        );
        Assert.That(ResultsJson.Read(Path.Combine(output, "killer", "results.json")).Status, Is.EqualTo("error"));
    }

    [Test]
    public async Task The_verification_gets_no_results_path_it_could_give_away()
    {
        Student("alice", Passing);

        await _kata.RunWithoutWorkspaceOptionAsync("grade", _submissions, "--out", Path.Combine(_kata.Folder, "g"));

        Assert.That(_jobs.Single().Workspace, Does.Not.Contain("alice"));
    }

    [Test]
    public async Task Only_the_learners_program_is_taken_from_a_submission()
    {
        var workspace = Student("mallory", Passing);
        await File.WriteAllTextAsync(Path.Combine(workspace, ".kata", "support", "Kata.cs"), "// tampered");
        var project = Path.Combine(workspace, "exercises", "01-sequential-download", "SequentialDownload.csproj");
        await File.WriteAllTextAsync(project, "<Project />");
        await File.WriteAllTextAsync(Path.Combine(workspace, "Directory.Build.props"), "<Project />");

        await _kata.RunWithoutWorkspaceOptionAsync("grade", _submissions, "--out", Path.Combine(_kata.Folder, "g"));

        var copy = _jobs.Single().Workspace;
        var pristine = await File.ReadAllTextAsync(Path.Combine(KataFixture.Course.SupportDirectory, "Kata.cs"));
        Assert.That(_copied["mallory"].Support, Is.EqualTo(pristine));
        Assert.That(_copied["mallory"].Project, Does.Contain("Kata.Support.csproj"));
        Assert.That(_copied["mallory"].Program, Is.EqualTo(Passing));
        Assert.That(copy, Does.Not.StartWith(_submissions));
    }

    [Test]
    public async Task A_submission_that_cannot_be_graded_gets_error_rows_and_the_others_are_graded()
    {
        Student("alice", Passing);
        Student("slow", Passing);
        _slowStudent = "slow";

        var exit = await _kata.RunWithoutWorkspaceOptionAsync(
            "grade",
            _submissions,
            "--out",
            Path.Combine(_kata.Folder, "g"),
            "--time-limit",
            "5"
        );

        Assert.That(exit, Is.EqualTo(0), _kata.Output);
        var max = SpecCatalog.Checks("sequential-download").Sum(c => c.Points);
        var lines = await File.ReadAllLinesAsync(Path.Combine(_kata.Folder, "g", "gradebook.csv"));
        Assert.That(lines[1], Does.StartWith($"alice,1,sequential-download,{max},{max},passed"));
        Assert.That(
            lines[2],
            Is.EqualTo($"slow,1,sequential-download,0,{max},error,Grading stopped at the time limit of 5 s.")
        );
    }

    [Test]
    public async Task A_submission_whose_exercises_folder_is_a_symbolic_link_is_refused()
    {
        Student("alice", Passing);
        var mallory = Directory.CreateDirectory(Path.Combine(_submissions, "mallory")).FullName;
        Directory.CreateSymbolicLink(
            Path.Combine(mallory, "exercises"),
            Path.Combine("..", "alice", "repository", "exercises")
        );
        var output = Path.Combine(_kata.Folder, "g");

        var exit = await _kata.RunWithoutWorkspaceOptionAsync("grade", _submissions, "--out", output);

        Assert.That(exit, Is.EqualTo(0), _kata.Output);
        Assert.That(_jobs.Select(j => j.Student), Is.EqualTo(new[] { "alice" }), "mallory's copy is never verified");
        var max = SpecCatalog.Checks("sequential-download").Sum(c => c.Points);
        Assert.That(
            await File.ReadAllLinesAsync(Path.Combine(output, "gradebook.csv")),
            Does.Contain(
                $"mallory,1,sequential-download,0,{max},error,"
                    + "exercises is a symbolic link; only the submission's own folders are graded."
            )
        );
        Assert.That(ResultsJson.Read(Path.Combine(output, "mallory", "results.json")).Status, Is.EqualTo("error"));
    }

    [Test]
    public async Task A_submission_whose_exercise_folder_is_a_symbolic_link_is_refused()
    {
        var alice = Student("alice", Passing);
        var exercises = Directory.CreateDirectory(Path.Combine(_submissions, "mallory", "exercises")).FullName;
        // An absolute link, as to the teacher's solutions.
        Directory.CreateSymbolicLink(
            Path.Combine(exercises, "01-sequential-download"),
            Path.Combine(alice, "exercises", "01-sequential-download")
        );
        var output = Path.Combine(_kata.Folder, "g");

        var exit = await _kata.RunWithoutWorkspaceOptionAsync(
            "grade",
            _submissions,
            "--exercise",
            "1",
            "--out",
            output
        );

        Assert.That(exit, Is.EqualTo(0), _kata.Output);
        Assert.That(_jobs.Select(j => j.Student), Is.EqualTo(new[] { "alice" }), "mallory's copy is never verified");
        var max = SpecCatalog.Checks("sequential-download").Sum(c => c.Points);
        Assert.That(
            await File.ReadAllLinesAsync(Path.Combine(output, "gradebook.csv")),
            Does.Contain(
                $"mallory,1,sequential-download,0,{max},error,"
                    + "exercises/01-sequential-download is a symbolic link; only the submission's own folders are graded."
            )
        );
    }

    [Test]
    public async Task A_submission_that_cannot_be_prepared_gets_error_rows_and_the_class_is_still_graded()
    {
        Student("alice", Passing);
        Student("bob", Passing);
        var output = Directory.CreateDirectory(Path.Combine(_kata.Folder, "g")).FullName;
        // A file where bob's output folder goes: creating it fails with an IOException.
        await File.WriteAllTextAsync(Path.Combine(output, "bob"), "in the way");

        var exit = await _kata.RunWithoutWorkspaceOptionAsync("grade", _submissions, "--out", output);

        Assert.That(exit, Is.EqualTo(0), _kata.Output);
        var max = SpecCatalog.Checks("sequential-download").Sum(c => c.Points);
        var lines = await File.ReadAllLinesAsync(Path.Combine(output, "gradebook.csv"));
        Assert.That(lines[1], Is.EqualTo($"alice,1,sequential-download,{max},{max},passed,"));
        Assert.That(lines[2], Does.StartWith($"bob,1,sequential-download,0,{max},error,Could not be graded: "));
        Assert.That(File.Exists(Path.Combine(output, "summary.md")), Is.True);
        Assert.That(_jobs.Select(j => j.Student), Is.EqualTo(new[] { "alice" }));
    }

    [Test]
    public async Task A_submission_without_exercises_has_a_note_in_the_summary_but_no_column()
    {
        Student("alice", Passing);
        Directory.CreateDirectory(Path.Combine(_submissions, "carol", "notes"));
        var output = Path.Combine(_kata.Folder, "g");

        var exit = await _kata.RunWithoutWorkspaceOptionAsync("grade", _submissions, "--out", output);

        Assert.That(exit, Is.EqualTo(0), _kata.Output);
        Assert.That(
            await File.ReadAllLinesAsync(Path.Combine(output, "gradebook.csv")),
            Does.Contain("carol,0,,0,0,error,No exercises/NN-id/Program.cs found in the submission.")
        );
        Assert.That(_kata.Output, Does.Contain("carol: 0 of 0 points (error)"));
        var summary = (await File.ReadAllLinesAsync(Path.Combine(output, "summary.md"))).ToList();
        Assert.That(summary, Does.Contain("| student | points | 01 sequential-download |"));
        Assert.That(summary, Does.Contain("| carol | 0 / 0 | |"));
        Assert.That(
            summary,
            Does.Contain("- carol: error: No exercises/NN-id/Program.cs found in the submission."),
            "the note is listed without an exercise number"
        );
        Assert.That(string.Join('\n', summary), Does.Not.Contain(" 00"));
    }

    [Test]
    public async Task A_failed_shared_build_is_an_error_of_the_grading_not_of_the_students()
    {
        Student("alice", Passing);
        _kata
            .Grader.Setup(g =>
                g.PrepareAsync(
                    It.IsAny<LearnerWorkspace>(),
                    It.IsAny<IReadOnlyList<Exercise>>(),
                    It.IsAny<CancellationToken>()
                )
            )
            .ThrowsAsync(new KataException("The shared build of the course stub failed: [CS0001] x", ExitCodes.Usage));

        var exit = await _kata.RunWithoutWorkspaceOptionAsync(
            "grade",
            _submissions,
            "--out",
            Path.Combine(_kata.Folder, "g")
        );

        Assert.That(exit, Is.EqualTo(2));
        Assert.That(_kata.Output, Does.Contain("error: The shared build of the course stub failed: [CS0001] x"));
        Assert.That(_kata.Output, Does.Not.Contain("   at "));
        Assert.That(_jobs, Is.Empty);
    }

    [Test]
    public void A_build_failure_is_recognised_by_its_heading_only()
    {
        var results = new ResultsFile(
            ResultsJson.Version,
            ResultsJson.Error,
            ResultsJson.NotBuilt("02-process-download")
                + "\nexercises/02-process-download/Program.cs(1,8): error CS1029: #error: '01-sequential-download did not build:'",
            [],
            0,
            0
        );

        Assert.That(ResultsJson.DidNotBuild(results, "02-process-download"), Is.True);
        Assert.That(ResultsJson.DidNotBuild(results, "01-sequential-download"), Is.False);
    }

    [Test]
    public async Task Shards_split_the_class_deterministically_and_merge_into_the_same_gradebook()
    {
        foreach (var (name, index) in new[] { "eve", "bob", "dan", "alice", "carol" }.Select((n, i) => (n, i)))
        {
            Student(name, index % 2 == 0 ? Passing : Failing);
        }
        var whole = Path.Combine(_kata.Folder, "whole");
        var first = Path.Combine(_kata.Folder, "shard-1");
        var second = Path.Combine(_kata.Folder, "shard-2");
        var merged = Path.Combine(_kata.Folder, "merged");

        await _kata.RunWithoutWorkspaceOptionAsync("grade", _submissions, "--out", whole);
        await _kata.RunWithoutWorkspaceOptionAsync("grade", _submissions, "--out", first, "--shard", "1/2");
        await _kata.RunWithoutWorkspaceOptionAsync("grade", _submissions, "--out", second, "--shard", "2/2");
        var exit = await _kata.RunWithoutWorkspaceOptionAsync("grade", "--merge", first, second, "--out", merged);

        Assert.That(exit, Is.EqualTo(0), _kata.Output);
        Assert.That(Students(first), Is.EqualTo(new[] { "alice", "carol", "eve" }));
        Assert.That(Students(second), Is.EqualTo(new[] { "bob", "dan" }));
        Assert.That(
            await File.ReadAllTextAsync(Path.Combine(merged, "gradebook.csv")),
            Is.EqualTo(await File.ReadAllTextAsync(Path.Combine(whole, "gradebook.csv")))
        );
        Assert.That(File.Exists(Path.Combine(merged, "dan", "results.json")), Is.True);
        Assert.That(File.Exists(Path.Combine(merged, "summary.md")), Is.True);
        var suites = System.Xml.Linq.XDocument.Load(Path.Combine(merged, "junit.xml")).Root!.Elements("testsuite");
        Assert.That(
            suites.Select(s => s.Attribute("name")!.Value),
            Is.EqualTo(new[] { "alice", "bob", "carol", "dan", "eve" })
        );
    }

    [Test]
    public async Task Kata_grade_writes_junit_with_a_suite_per_student_and_a_case_per_check()
    {
        Student("alice", Passing);
        Student("bob", Failing);
        Directory.CreateDirectory(Path.Combine(_submissions, "carol", "notes"));
        var output = Path.Combine(_kata.Folder, "grades");

        await _kata.RunWithoutWorkspaceOptionAsync("grade", _submissions, "--exercise", "1", "--out", output);

        var junit = System.Xml.Linq.XDocument.Load(Path.Combine(output, "junit.xml")).Root!;
        var suites = junit.Elements("testsuite").ToDictionary(s => s.Attribute("name")!.Value);
        Assert.That(suites.Keys, Is.EqualTo(new[] { "alice", "bob", "carol" }));
        var checks = ResultsJson.Read(Path.Combine(output, "alice", "results.json")).Tests.Count;
        Assert.That(checks, Is.GreaterThan(1));
        Assert.That(suites["alice"].Elements("testcase").Count(), Is.EqualTo(checks), "a case per check");
        Assert.That(suites["alice"].Descendants("failure"), Is.Empty);
        var failed = suites["bob"].Elements("testcase").Where(c => c.Element("failure") is not null).ToList();
        Assert.That(
            failed.Select(c => c.Attribute("name")!.Value),
            Is.EqualTo(new[] { "Event log matches what the system saw" })
        );
        Assert.That(failed[0].Attribute("classname")!.Value, Is.EqualTo("bob.sequential-download"));
        Assert.That(suites["carol"].Descendants("failure").Single().Attribute("type")!.Value, Is.EqualTo("missing"));
        var max = SpecCatalog.Checks("sequential-download").Sum(c => c.Points);
        Assert.That(
            suites["bob"]
                .Descendants("property")
                .Single(p => p.Attribute("name")!.Value == "points")
                .Attribute("value")!
                .Value,
            Is.EqualTo((max - 1).ToString(System.Globalization.CultureInfo.InvariantCulture))
        );
    }

    [Test]
    public void A_field_a_spreadsheet_would_run_as_a_formula_is_escaped_and_read_back_as_it_was()
    {
        var path = Path.Combine(_kata.Folder, "gradebook.csv");
        Directory.CreateDirectory(_kata.Folder);
        var rows = new[]
        {
            new GradeRow(
                "=HYPERLINK(\"http://x\",\"y\")",
                1,
                "sequential-download",
                0,
                8,
                GradeStatus.Failed,
                "-1, \"quoted\"\nnext line"
            ),
            new GradeRow("@bob", 1, "sequential-download", 8, 8, GradeStatus.Passed, ""),
            new GradeRow("'=carol", 1, "sequential-download", 8, 8, GradeStatus.Passed, "'quoted note"),
            new GradeRow("'dave", 1, "sequential-download", 8, 8, GradeStatus.Passed, "+1"),
        };

        Gradebook.Write(rows, path);

        var text = File.ReadAllText(path);
        Assert.That(text, Does.Not.Contain(",=").And.Not.Contain("\n=").And.Not.Contain("\n@"));
        Assert.That(text, Does.Contain("\"'=HYPERLINK(").Or.Contain("'=HYPERLINK("));
        Assert.That(Gradebook.Read(path), Is.EqualTo(Gradebook.Sorted(rows)));
    }

    [Test]
    public async Task Merging_a_shard_twice_is_refused()
    {
        Student("alice", Passing);
        var output = Path.Combine(_kata.Folder, "g");
        await _kata.RunWithoutWorkspaceOptionAsync("grade", _submissions, "--out", output);
        var copy = Path.Combine(_kata.Folder, "g-again");
        Directory.CreateDirectory(copy);
        File.Copy(Path.Combine(output, "gradebook.csv"), Path.Combine(copy, "gradebook.csv"));

        var exit = await _kata.RunWithoutWorkspaceOptionAsync("grade", "--merge", output, copy);

        Assert.That(exit, Is.EqualTo(2));
        Assert.That(_kata.Output, Does.Contain("alice was graded in both"));
    }

    [TestCase("3/2")]
    [TestCase("0/2")]
    [TestCase("two")]
    [TestCase("1/0")]
    public async Task A_bad_shard_is_a_usage_error(string shard)
    {
        Student("alice", Passing);

        var exit = await _kata.RunWithoutWorkspaceOptionAsync("grade", _submissions, "--shard", shard);

        Assert.That(exit, Is.EqualTo(2));
        Assert.That(_kata.Output, Does.Contain("--shard takes i/n"));
        Assert.That(_kata.Output, Does.Not.Contain("   at "));
    }

    [Test]
    public async Task A_file_given_as_the_submissions_folder_is_named_as_a_file()
    {
        var file = Path.Combine(_kata.Folder, "submissions.zip");
        await File.WriteAllTextAsync(file, "not a folder");

        var exit = await _kata.RunWithoutWorkspaceOptionAsync("grade", file);

        Assert.That(exit, Is.EqualTo(2));
        Assert.That(_kata.Output, Does.Contain("submissions.zip is a file; kata grade takes a folder"));
    }

    [Test]
    public async Task A_missing_submissions_folder_is_a_usage_error()
    {
        var exit = await _kata.RunWithoutWorkspaceOptionAsync("grade", Path.Combine(_kata.Folder, "nowhere"));

        Assert.That(exit, Is.EqualTo(2));
        Assert.That(_kata.Output, Does.Contain("does not exist"));
        Assert.That(_kata.Output, Does.Not.Contain("   at "));
    }

    [Test]
    public void Every_student_is_in_exactly_one_shard()
    {
        var students = Enumerable.Range(0, 23).Select(i => $"s{i:00}").Reverse().ToList();

        var shards = Enumerable.Range(1, 4).Select(i => new Shard(i, 4).Select(students)).ToList();

        Assert.That(
            shards.SelectMany(s => s).Order(StringComparer.Ordinal),
            Is.EqualTo(students.Order(StringComparer.Ordinal))
        );
        Assert.That(shards.Select(s => s.Count), Is.EqualTo(new[] { 6, 6, 6, 5 }));
    }

    private string? _slowStudent;
    private readonly Dictionary<string, (string Support, string Project, string Program)> _copied = [];

    /// <summary>A student's workspace with exercise 1's Program.cs; returns the workspace folder (inside a clone).</summary>
    private string Student(string name, string program)
    {
        var root = Path.Combine(_submissions, name, "repository");
        var workspace = LearnerWorkspace.Init(root, KataFixture.Course);
        var exercise = KataFixture.Course.Find("sequential-download");
        Scaffolder.Scaffold(workspace, exercise);
        File.WriteAllText(workspace.ProgramPath(exercise), program);
        return root;
    }

    private static IEnumerable<string> Students(string output) =>
        File.ReadAllLines(Path.Combine(output, "gradebook.csv")).Skip(1).Select(l => l.Split(',')[0]);

    /// <summary>Stands in for verification: every check passes, or all but the second, as the program says.</summary>
    private GradingRun Verify(GradingJob job)
    {
        lock (_jobs)
        {
            _jobs.Add(job);
        }
        var exercise = KataFixture.Course.Find("sequential-download");
        var exerciseDirectory = Path.Combine(job.Workspace, "exercises", exercise.Slug);
        var program = File.ReadAllText(Path.Combine(exerciseDirectory, "Program.cs"));
        lock (_copied)
        {
            _copied[job.Student] = (
                File.ReadAllText(Path.Combine(job.Workspace, ".kata", "support", "Kata.cs")),
                File.ReadAllText(Path.Combine(exerciseDirectory, "SequentialDownload.csproj")),
                program
            );
        }
        if (job.Student == _slowStudent)
        {
            return new GradingRun(null, true, job.TimeLimit);
        }
        var checks = SpecCatalog
            .Checks(exercise.Id)
            .Select(
                (c, i) =>
                    new CheckResult(
                        c.Name,
                        program == Failing && i == 1 ? CheckStatus.Failed : CheckStatus.Passed,
                        program == Failing && i == 1 ? "Expected: x\nObserved: y\nLook at: z" : null,
                        TimeSpan.Zero
                    )
            )
            .ToList();
        var build = new BuildResult(true, "/built", [], TimeSpan.Zero);
        var file = ResultsJson.From([new ExerciseResult(exercise, build, checks, TimeSpan.Zero, TimeSpan.Zero)]);
        switch (job.Student)
        {
            case "killer":
                // Wrote results with every check passed, then killed its verification.
                return new GradingRun(137, false, TimeSpan.FromSeconds(1), ResultsJson.ToJson(file));
            case "inflater":
                file = file with
                {
                    Tests = [.. file.Tests.Select(t => t with { Score = 999, MaxScore = 999 })],
                    Score = 9999,
                };
                break;
            case "stranger":
                file = file with
                {
                    Tests = [.. file.Tests, file.Tests[0] with { Name = "01-sequential-download: Bonus" }],
                };
                break;
        }
        var results = ResultsJson.ToJson(file);
        return new GradingRun(
            checks.All(c => c.Status == CheckStatus.Passed) ? 0 : 1,
            false,
            TimeSpan.FromSeconds(1),
            results
        );
    }
}
