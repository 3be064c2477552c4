using System.Diagnostics;
using System.Globalization;
using ConcurrencyKata.Workspace;

namespace ConcurrencyKata.Course.Tests;

/// <summary>
/// kata as a learner runs it: as an ordinary user, where it can neither change users nor make cgroups,
/// so a program under verification can write the learner's files and kill kata itself. What kata does
/// then: it puts back the files the program changed and names them, and when the program kills kata,
/// the guardian still ends everything the program started. (These tests switch to an unprivileged
/// user, so they need root; elsewhere they are skipped.)
/// </summary>
[NonParallelizable, Category("Slow")]
public sealed class UnprivilegedTests
{
    private const int Learner = 1_234_567;
    private string _root = null!;
    private LearnerWorkspace _workspace = null!;

    [SetUp]
    public void Create()
    {
        Assume.That(
            Harness.ProgramRunner.IsolationUnavailable is null,
            $"skipped: switching to another user needs root and setpriv ({Harness.ProgramRunner.IsolationUnavailable})"
        );
        _root = Path.Combine(Path.GetTempPath(), "kata-learner-" + Guid.NewGuid().ToString("N")[..8]);
        _workspace = LearnerWorkspace.Init(Path.Combine(_root, "ws"), Repository.Course);
        foreach (var id in new[] { "sequential-download", "process-download" })
        {
            Scaffolder.Scaffold(_workspace, Repository.Course.Find(id));
        }
        Directory.CreateDirectory(Path.Combine(_root, "home"));
        using var chown = Process.Start("chown", ["-R", $"{Learner}:{Learner}", _root])!;
        chown.WaitForExit();
    }

    [TearDown]
    public void Clean()
    {
        KataProcess.KillSleepers();
        if (_root is not null)
        {
            Directory.Delete(_root, recursive: true);
        }
    }

    [Test, CancelAfter(300_000)]
    public async Task Files_the_program_changes_are_put_back_and_named()
    {
        var other = _workspace.ProgramPath(Repository.Course.Find("sequential-download"));
        var before = (File.ReadAllText(other), File.ReadAllText(_workspace.StatePath));
        Write("tamper-workspace");

        var (exit, output) = await VerifyAsync();

        Assert.That(exit, Is.EqualTo(1), output);
        Assert.That(
            output,
            Does.Contain("kata put them back: .kata/state.json, exercises/01-sequential-download/Program.cs")
        );
        Assert.That((File.ReadAllText(other), File.ReadAllText(_workspace.StatePath)), Is.EqualTo(before));
    }

    [Test, CancelAfter(300_000)]
    public async Task A_program_that_kills_kata_leaves_nothing_running()
    {
        Write("kill-the-verifier");

        using var kata = KataProcess.Start(
            _workspace.Root,
            Home(),
            Learner,
            "verify",
            "process-download",
            "--workspace",
            _workspace.Root
        );
        var stdout = kata.StandardOutput.ReadToEndAsync();
        var stderr = kata.StandardError.ReadToEndAsync();
        await KataProcess.WaitForSleepersAsync(kata);
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await kata.WaitForExitAsync(limit.Token);
        var text = await stdout + await stderr;

        Assert.That(kata.ExitCode, Is.EqualTo(137), "the program killed kata: " + text);
        KataProcess.AssertNothingLeftOf(kata.Id);
    }

    [Test, CancelAfter(300_000)]
    public async Task A_submission_that_forges_its_results_and_kills_its_verification_gets_an_error_row_and_no_points()
    {
        var submissions = Path.Combine(_root, "submissions");
        var mallory = LearnerWorkspace.Init(Path.Combine(submissions, "mallory"), Repository.Course);
        var exercise = Repository.Course.Find("sequential-download");
        Scaffolder.Scaffold(mallory, exercise);
        File.Copy(Scenario("forged-grade"), mallory.ProgramPath(exercise), overwrite: true);
        var output = Path.Combine(_root, "grades");
        Directory.CreateDirectory(output);
        using (var chown = Process.Start("chown", ["-R", $"{Learner}:{Learner}", submissions, output])!)
        {
            chown.WaitForExit();
        }

        var (exit, text) = await KataProcess.RunAsync(
            _root,
            Home(),
            Learner,
            "grade",
            submissions,
            "--exercise",
            "1",
            "--out",
            output
        );

        Assert.That(exit, Is.EqualTo(0), text);
        var row = Grading.Gradebook.Read(Path.Combine(output, "gradebook.csv")).Single();
        Assert.That((row.Points, row.Status), Is.EqualTo((0, Grading.GradeStatus.Error)), text);
        Assert.That(row.Note, Does.Contain("did not end normally"), text);
        var results = Reports.ResultsJson.Read(Path.Combine(output, "mallory", "results.json"));
        Assert.That((results.Status, results.Score), Is.EqualTo(("error", 0)), text);
        Assert.That(Directory.Exists(Path.Combine(output, ".work")), Is.False, "the work folder is removed");
    }

    private static string Scenario(string name) =>
        Path.Combine(Repository.Root, "tests", "ConcurrencyKata.Course.Tests", "Scenarios", name, "Program.cs");

    private void Write(string scenario)
    {
        var program = _workspace.ProgramPath(Repository.Course.Find("process-download"));
        File.Copy(Scenario(scenario), program, overwrite: true);
        using var chown = Process.Start("chown", [$"{Learner}:{Learner}", program])!;
        chown.WaitForExit();
    }

    private Dictionary<string, string> Home() =>
        new() { ["HOME"] = Path.Combine(_root, "home"), ["DOTNET_CLI_HOME"] = Path.Combine(_root, "home") };

    private Task<(int Exit, string Output)> VerifyAsync() =>
        KataProcess.RunAsync(
            _workspace.Root,
            Home(),
            Learner,
            "verify",
            "process-download",
            "--workspace",
            _workspace.Root
        );
}
