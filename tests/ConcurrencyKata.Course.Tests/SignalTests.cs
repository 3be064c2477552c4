using System.Diagnostics;
using System.Globalization;
using ConcurrencyKata.Catalog;
using ConcurrencyKata.Workspace;

namespace ConcurrencyKata.Course.Tests;

/// <summary>
/// kata stopped while a learner's program runs: by Ctrl+C's SIGINT, by SIGTERM, or by SIGKILL, which
/// it cannot catch. The program (Scenarios/signal-sleepers) has a sleeping child and a grandchild that
/// left for a session of its own with an empty environment. Within two seconds of kata's end, none of
/// them may be alive, and no cgroup, run folder or grading work folder of that kata may remain.
/// </summary>
[NonParallelizable, Category("Slow")]
public sealed class SignalTests
{
    private string _root = null!;

    [SetUp]
    public void Create()
    {
        _root = Path.Combine(Path.GetTempPath(), "kata-signal-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(_root);
    }

    [TearDown]
    public void Clean()
    {
        KataProcess.KillSleepers();
        Directory.Delete(_root, recursive: true);
    }

    [TestCase("INT", 130)]
    [TestCase("TERM", 143)]
    [TestCase("KILL", 137)]
    [CancelAfter(300_000)]
    public async Task Kata_verify_stopped_by_a_signal_leaves_nothing_of_the_run(string signal, int exitCode)
    {
        Assume.That(OperatingSystem.IsLinux(), "skipped: signals and /proc are Linux's");
        var workspace = LearnerWorkspace.Init(Path.Combine(_root, "ws"), Repository.Course);
        var exercise = Repository.Course.Find("process-download");
        Scaffolder.Scaffold(workspace, exercise);
        var program = workspace.ProgramPath(exercise);
        File.Copy(Scenario("signal-sleepers"), program, overwrite: true);
        var state = File.ReadAllText(Path.Combine(workspace.Root, ".kata", "state.json"));

        using var kata = KataProcess.Start(
            workspace.Root,
            null,
            null,
            "verify",
            exercise.Id,
            "--workspace",
            workspace.Root
        );
        await StopWhenSleepersRunAsync(kata, signal, exitCode);

        KataProcess.AssertNothingLeftOf(kata.Id);
        Assert.That(File.ReadAllText(program), Is.EqualTo(File.ReadAllText(Scenario("signal-sleepers"))));
        Assert.That(File.ReadAllText(Path.Combine(workspace.Root, ".kata", "state.json")), Is.EqualTo(state));
    }

    [Test, CancelAfter(600_000)]
    public async Task Kata_grade_stopped_by_SIGTERM_ends_every_submission_and_removes_its_work_folder()
    {
        Assume.That(OperatingSystem.IsLinux(), "skipped: signals and /proc are Linux's");
        var exercise = Repository.Course.Find("sequential-download");
        var submissions = Path.Combine(_root, "submissions");
        var student = LearnerWorkspace.Init(Path.Combine(submissions, "sam"), Repository.Course);
        Scaffolder.Scaffold(student, exercise);
        File.Copy(Scenario("signal-sleepers"), student.ProgramPath(exercise), overwrite: true);
        var output = Path.Combine(_root, "grades");

        using var kata = KataProcess.Start(_root, null, null, "grade", submissions, "--exercise", "1", "--out", output);
        await StopWhenSleepersRunAsync(kata, "TERM", 143);

        KataProcess.AssertNothingLeftOf(kata.Id);
        Assert.That(Directory.Exists(Path.Combine(output, ".work")), Is.False, "the work folder is removed");
    }

    private static string Scenario(string name) =>
        Path.Combine(Repository.Root, "tests", "ConcurrencyKata.Course.Tests", "Scenarios", name, "Program.cs");

    /// <summary>Waits until both sleepers run, signals kata, and checks how it ended.</summary>
    private static async Task StopWhenSleepersRunAsync(Process kata, string signal, int exitCode)
    {
        var stdout = kata.StandardOutput.ReadToEndAsync();
        var stderr = kata.StandardError.ReadToEndAsync();
        await KataProcess.WaitForSleepersAsync(kata);

        using (var kill = Process.Start("kill", ["-" + signal, kata.Id.ToString(CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync();
        }
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await kata.WaitForExitAsync(limit.Token);
        var text = await stdout + await stderr;
        Assert.That(kata.ExitCode, Is.EqualTo(exitCode), text);
        if (signal != "KILL")
        {
            Assert.That(text, Does.Contain($"kata: stopped by SIG{signal}"));
            Assert.That(text, Does.Not.Contain("✗").And.Not.Contain("Not yet"), "no verdict on a stopped run");
        }
    }
}
