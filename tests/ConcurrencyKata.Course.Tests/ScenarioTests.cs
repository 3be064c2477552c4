using ConcurrencyKata.Harness;
using ConcurrencyKata.Verification;
using Spectre.Console;

namespace ConcurrencyKata.Course.Tests;

/// <summary>
/// Learner programs that go wrong in ways the verifier must survive and explain: each ends in a clear
/// verdict and leaves no process behind.
/// </summary>
[NonParallelizable]
public sealed class ScenarioTests
{
    private static string Scenario(string name) =>
        Path.Combine(Repository.Root, "tests", "ConcurrencyKata.Course.Tests", "Scenarios", name, "Program.cs");

    [Test, CancelAfter(300_000)]
    public async Task A_program_that_leaves_a_sleep_behind_is_reported_and_the_sleep_is_killed()
    {
        var exercise = Repository.Course.Find("process-download");
        using var workspace = CourseWorkspace.Create(exercise, Scenario("orphan-sleep"));
        var build = await workspace.BuildAsync();
        var runs = new RecordingRunner();

        var result = new NUnitSpecRunner(runs).Run(exercise.Id, build.ProgramPath, "orphan");

        var orphanCheck = result.Checks.SingleOrDefault(c =>
            c.Message?.Contains("still running after your program exited", StringComparison.Ordinal) == true
        );
        Assert.That(orphanCheck, Is.Not.Null, () => Describe(result));
        Assert.That(orphanCheck!.Status, Is.EqualTo(CheckStatus.Failed));
        Assert.That(orphanCheck.Message, Does.Contain("sleep"));
        Assert.That(runs.Records.SelectMany(r => r.Orphans).Select(o => o.Executable), Does.Contain("sleep"));
        AssertNothingSurvived(runs);
    }

    [Test, CancelAfter(300_000)]
    public async Task An_endless_loop_is_stopped_at_the_time_limit_with_a_clear_message()
    {
        var exercise = Repository.Course.Find("process-download");
        using var workspace = CourseWorkspace.Create(exercise, Scenario("endless-loop"));
        var build = await workspace.BuildAsync();
        var runs = new RecordingRunner();

        var result = new NUnitSpecRunner(runs).Run(exercise.Id, build.ProgramPath, "loop");

        Assert.That(runs.Records, Is.Not.Empty);
        Assert.That(runs.Records.All(r => r.TimedOut), Is.True, "every run hit the time limit");
        var failures = result.Checks.Where(c => c.Status == CheckStatus.Failed).ToList();
        Assert.That(failures, Is.Not.Empty);
        Assert.That(failures.Select(c => c.Message), Has.Some.Contains("was stopped"));
        AssertNothingSurvived(runs);
    }

    [Test, CancelAfter(300_000)]
    public async Task A_compile_error_shows_the_compiler_message_and_exits_3()
    {
        var exercise = Repository.Course.Find("process-download");
        using var workspace = CourseWorkspace.Create(exercise, Scenario("compile-error"));
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
        workspace.Workspace.SaveState(workspace.Workspace.LoadState() with { Current = exercise.Id });

        var exit = await KataApp
            .Create(console, () => Repository.Course)
            .RunAsync(["verify", "--workspace", workspace.Root]);

        Assert.That(exit, Is.EqualTo(3), output.ToString());
        Assert.That(output.ToString(), Does.Contain("exercises/02-process-download/Program.cs(2,27): error CS1002"));
        Assert.That(output.ToString(), Does.Not.Contain(workspace.Root), "paths are relative to the workspace");
    }

    private static void AssertNothingSurvived(RecordingRunner runs)
    {
        foreach (var record in runs.Records)
        {
            Assert.That(record.Survivors, Is.Empty);
            foreach (var process in record.Processes)
            {
                Assert.That(
                    IsAlive(process.Pid, process.CommandLine),
                    Is.False,
                    $"{process.Describe()} is still running after verification"
                );
            }
        }
    }

    private static bool IsAlive(int pid, IReadOnlyList<string> commandLine)
    {
        var path = $"/proc/{pid}/cmdline";
        if (!File.Exists(path))
        {
            return false;
        }
        try
        {
            var current = File.ReadAllText(path).TrimEnd('\0').Split('\0');
            return current.SequenceEqual(commandLine);
        }
        catch (IOException)
        {
            return false;
        }
    }

    private static string Describe(SpecRun run) =>
        string.Join("\n", run.Checks.Select(c => $"{c.Name} ({c.Status}): {c.Message}"));

    private sealed class RecordingRunner : IProgramRunner
    {
        private readonly ProgramRunner _inner = new();
        private readonly List<RunRecord> _records = [];

        public IReadOnlyList<RunRecord> Records => _records;

        public async Task<RunRecord> RunAsync(RunRequest request, CancellationToken cancellationToken = default)
        {
            var record = await _inner.RunAsync(request, cancellationToken);
            lock (_records)
            {
                _records.Add(record);
            }
            return record;
        }
    }
}
