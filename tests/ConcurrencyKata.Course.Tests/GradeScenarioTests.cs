using System.Text.RegularExpressions;
using ConcurrencyKata.Grading;
using ConcurrencyKata.Reports;
using ConcurrencyKata.Workspace;
using Spectre.Console;

namespace ConcurrencyKata.Course.Tests;

/// <summary>
/// <c>kata grade</c> for real on a small class: full marks, partial credit, a compile error, an endless
/// loop, an orphaned child, an empty submission. Each submission is verified in a process of its own,
/// in parallel, and nothing they started is left running.
/// </summary>
[NonParallelizable, Category("Slow")]
public sealed partial class GradeScenarioTests
{
    private string _root = null!;

    [SetUp]
    public void Create()
    {
        _root = Path.Combine(Path.GetTempPath(), "kata-grade-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(_root);
    }

    [TearDown]
    public void Clean()
    {
        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException) { }
    }

    [Test, CancelAfter(1_800_000)]
    public async Task Kata_grade_grades_a_mixed_class_in_parallel_and_leaves_nothing_running()
    {
        var exercise = Repository.Course.Find("sequential-download");
        var meta = Path.Combine(exercise.Directory, ".meta");
        var submissions = Path.Combine(_root, "submissions");
        Student(submissions, "alice", Path.Combine(meta, "solution", "Program.cs"), nested: true);
        Student(submissions, "bob", Path.Combine(meta, "wrong", "skips-a-file", "Program.cs"));
        Student(submissions, "carol", Scenario("compile-error"));
        Student(submissions, "dave", Scenario("endless-loop"));
        Student(submissions, "erin", Scenario("orphan-sleep"));
        Directory.CreateDirectory(Path.Combine(submissions, "frank", "empty"));
        var output = Path.Combine(_root, "grades");

        var (exit, text) = await Kata("grade", submissions, "--exercise", "1", "--out", output, "--parallel", "2");

        Assert.That(exit, Is.EqualTo(0), text);
        var rows = Gradebook.Read(Path.Combine(output, "gradebook.csv")).ToDictionary(r => r.Student);
        var max = rows["alice"].MaxPoints;
        Assert.That(rows.Keys, Is.EquivalentTo(new[] { "alice", "bob", "carol", "dave", "erin", "frank" }));
        Assert.That((rows["alice"].Points, rows["alice"].Status), Is.EqualTo((max, GradeStatus.Passed)), text);
        var bobFails = Repository.DeclaredFailures(exercise, "skips-a-file").Count;
        Assert.That((rows["bob"].Points, rows["bob"].Status), Is.EqualTo((max - bobFails, GradeStatus.Failed)), text);
        Assert.That((rows["carol"].Points, rows["carol"].Status), Is.EqualTo((0, GradeStatus.BuildFailed)), text);
        Assert.That(rows["dave"].Status, Is.EqualTo(GradeStatus.Failed), text);
        Assert.That(rows["dave"].Points, Is.LessThan(max));
        Assert.That(rows["erin"].Status, Is.EqualTo(GradeStatus.Failed), text);
        Assert.That(rows["frank"].Status, Is.EqualTo(GradeStatus.Missing), text);
        foreach (var student in rows.Keys)
        {
            var results = ResultsJson.Read(Path.Combine(output, student, "results.json"));
            Assert.That(results.Version, Is.EqualTo(3));
            Assert.That(results.Score, Is.EqualTo(rows[student].Points), student);
        }
        Assert.That(ResultsJson.Read(Path.Combine(output, "carol", "results.json")).Message, Does.Contain("CS1002"));

        var timing = Timing().Match(text);
        Assert.That(timing.Success, Is.True, text);
        TestContext.Out.WriteLine(
            $"grade: wall {timing.Groups["wall"].Value} s, of which {timing.Groups["prepared"].Value} s for the shared build, "
                + $"then {timing.Groups["grading"].Value} s for {timing.Groups["busy"].Value} s of grading, 2 at a time"
        );
        TestContext.Out.WriteLine(text);
        AssertNothingRunsFrom(output);
    }

    [Test, CancelAfter(900_000)]
    public async Task A_submission_over_the_time_limit_is_stopped_with_everything_it_started()
    {
        var exercise = Repository.Course.Find("sequential-download");
        var submissions = Path.Combine(_root, "submissions");
        Student(submissions, "slow", Path.Combine(exercise.Directory, ".meta", "solution", "Program.cs"));
        var output = Path.Combine(_root, "grades");

        var (exit, text) = await Kata("grade", submissions, "--out", output, "--time-limit", "2");

        Assert.That(exit, Is.EqualTo(0), text);
        var row = Gradebook.Read(Path.Combine(output, "gradebook.csv")).Single();
        Assert.That(row.Status, Is.EqualTo(GradeStatus.Error), text);
        Assert.That(row.Note, Is.EqualTo("Grading stopped at the time limit of 2 s."));
        Assert.That(ResultsJson.Read(Path.Combine(output, "slow", "results.json")).Status, Is.EqualTo("error"));
        AssertNothingRunsFrom(output);
    }

    [Test, CancelAfter(900_000)]
    public async Task A_submission_that_forges_its_results_and_kills_its_verification_gets_no_points()
    {
        var submissions = Path.Combine(_root, "submissions");
        Student(submissions, "mallory", Scenario("forged-grade"));
        var output = Path.Combine(_root, "grades");

        var (exit, text) = await Kata("grade", submissions, "--exercise", "1", "--out", output);

        Assert.That(exit, Is.EqualTo(0), text);
        var row = Gradebook.Read(Path.Combine(output, "gradebook.csv")).Single();
        var results = ResultsJson.Read(Path.Combine(output, "mallory", "results.json"));
        if (Harness.ProgramRunner.IsolationUnavailable is null)
        {
            // As root the program runs as a user of its own: it can neither write the verification's
            // output nor kill it, so it fails (its kill throws) and the verification reports it.
            Assert.That((row.Points, row.Status), Is.EqualTo((0, GradeStatus.Failed)), text);
            Assert.That(row.Note, Does.Contain("Not passed:"), text);
            Assert.That((results.Status, results.Score), Is.EqualTo(("fail", 0)));
        }
        else
        {
            Assert.That((row.Points, row.Status), Is.EqualTo((0, GradeStatus.Error)), text);
            Assert.That(row.Note, Does.Contain("did not end normally"), text);
            Assert.That((results.Status, results.Score), Is.EqualTo(("error", 0)));
        }
        AssertNothingRunsFrom(output);
    }

    private static string Scenario(string name) =>
        Path.Combine(Repository.Root, "tests", "ConcurrencyKata.Course.Tests", "Scenarios", name, "Program.cs");

    /// <summary>A student's workspace with exercise 1 holding <paramref name="program"/>; nested: inside a clone's sub-folder.</summary>
    private static void Student(string submissions, string name, string program, bool nested = false)
    {
        var root = nested ? Path.Combine(submissions, name, "kata-repository") : Path.Combine(submissions, name);
        var workspace = LearnerWorkspace.Init(root, Repository.Course);
        var exercise = Repository.Course.Find("sequential-download");
        Scaffolder.Scaffold(workspace, exercise);
        File.Copy(program, workspace.ProgramPath(exercise), overwrite: true);
    }

    private static async Task<(int Exit, string Output)> Kata(params string[] args)
    {
        var output = new StringWriter();
        var console = AnsiConsole.Create(
            new AnsiConsoleSettings
            {
                Ansi = AnsiSupport.No,
                Interactive = InteractionSupport.No,
                Out = new AnsiConsoleOutput(output),
            }
        );
        console.Profile.Width = 300;
        var exit = await KataApp.Create(console, () => Repository.Course).RunAsync(args);
        return (exit, output.ToString());
    }

    /// <summary>No live process has the output folder (where the isolated copies were) in its command line or environment.</summary>
    private static void AssertNothingRunsFrom(string output)
    {
        Assert.That(Directory.Exists(Path.Combine(output, ".work")), Is.False, "the isolated copies are removed");
        if (!OperatingSystem.IsLinux())
        {
            return;
        }
        var survivors = new List<string>();
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(directory), out var pid) || pid == Environment.ProcessId)
            {
                continue;
            }
            try
            {
                var stat = File.ReadAllText(Path.Combine(directory, "stat"));
                if (stat[(stat.LastIndexOf(')') + 2)..].StartsWith('Z'))
                {
                    continue;
                }
                var commandLine = File.ReadAllText(Path.Combine(directory, "cmdline")).Replace('\0', ' ');
                var environment = File.ReadAllText(Path.Combine(directory, "environ"));
                if (
                    commandLine.Contains(output, StringComparison.Ordinal)
                    || environment.Contains(ProcessSubmissionGrader.MarkerVariable, StringComparison.Ordinal)
                )
                {
                    survivors.Add($"{pid}: {commandLine}");
                }
            }
            catch (IOException) { }
            catch (UnauthorizedAccessException) { }
        }
        Assert.That(survivors, Is.Empty, "processes left running by the grading");
    }

    [GeneratedRegex(
        @"in (?<wall>[0-9.]+) s: (?<prepared>[0-9.]+) s for the shared build, then (?<grading>[0-9.]+) s for (?<busy>[0-9.]+) s of grading"
    )]
    private static partial Regex Timing();
}
