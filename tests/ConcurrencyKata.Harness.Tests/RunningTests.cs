using ConcurrencyKata.Harness;

namespace ConcurrencyKata.Harness.Tests;

public sealed class RunningTests : HarnessTest
{
    [Test]
    public async Task I_can_run_a_program_and_get_its_exit_code()
    {
        var run = await RunAsync(Dummy.Request("exit", "7"));

        Assert.Multiple(() =>
        {
            Assert.That(run.ExitCode, Is.EqualTo(7));
            Assert.That(run.TimedOut, Is.False);
            Assert.That(run.OutputFlooded, Is.False);
            Assert.That(run.TaskLimitRefusals, Is.Zero);
            Assert.That(run.Orphans, Is.Empty);
            Assert.That(run.WallTime, Is.LessThan(TimeSpan.FromSeconds(5)));
        });
    }

    [Test]
    public async Task The_observed_main_process_is_the_program_itself_in_a_session_of_its_own()
    {
        var run = await RunAsync(Dummy.Request("sleep", "300"));

        Assert.That(run.Root, Is.Not.Null, "the main process was observed");
        Assert.Multiple(() =>
        {
            Assert.That(run.Stdout.Select(l => l.Text), Is.EqualTo(new[] { $"sleeping {run.RootPid}" }));
            Assert.That(run.Root!.CommandLine, Is.EqualTo(new[] { run.Program, "sleep", "300" }));
            Assert.That(run.Root.SessionId, Is.EqualTo(run.RootPid));
            Assert.That(run.Root.ParentPid, Is.EqualTo(Environment.ProcessId));
            Assert.That(run.Root.ExitSeen, Is.Not.Null);
            Assert.That(run.Observation.Method, Is.Not.EqualTo("none"));
            Assert.That(run.Observation.Polls, Is.GreaterThan(10));
        });
    }

    [Test]
    public async Task I_can_run_a_framework_dependent_dll_through_the_dotnet_host()
    {
        var run = await RunAsync(
            new RunRequest(Dummy.Dll) { Arguments = ["echo", "from the dll"], TimeLimit = TimeSpan.FromSeconds(10) }
        );

        Assert.Multiple(() =>
        {
            Assert.That(run.ExitCode, Is.EqualTo(0));
            Assert.That(run.StdoutText, Is.EqualTo("from the dll"));
            Assert.That(Path.GetFileName(run.Root?.CommandLine[0]), Is.EqualTo("dotnet"));
            Assert.That(run.Root?.CommandLine.Skip(1), Is.EqualTo(new[] { run.Program, "echo", "from the dll" }));
        });
    }

    [Test]
    public async Task I_can_set_and_remove_environment_variables_and_the_run_marker_is_set()
    {
        Environment.SetEnvironmentVariable("KATA_TEST_INHERITED", "from the tests");
        var request = Dummy
            .Request("env", "KATA_CHOSEN", "KATA_TEST_INHERITED", "KATA_RUN_MARKER", "KATA_SERVICE")
            .WithEnvironment("KATA_CHOSEN", "42")
            .WithEnvironment("KATA_TEST_INHERITED", null);

        var run = await RunAsync(request);

        Assert.That(run.Marker, Does.Match("^[0-9a-f]{32}$"));
        Assert.That(
            run.Stdout.Select(l => l.Text).Take(3),
            Is.EqualTo(new[] { "KATA_CHOSEN=42", "KATA_TEST_INHERITED unset", $"KATA_RUN_MARKER={run.Marker}" })
        );
        Assert.That(run.Stdout[3].Text, Does.StartWith("KATA_SERVICE=").And.Contain(run.Marker));
    }

    [Test]
    public async Task A_crash_gives_a_non_zero_exit_code_and_the_exception_on_stderr()
    {
        var run = await RunAsync(Dummy.Request("crash", "the-message"));

        Assert.Multiple(() =>
        {
            Assert.That(run.ExitCode, Is.Not.Null.And.Not.EqualTo(0));
            Assert.That(run.TimedOut, Is.False);
            Assert.That(run.StdoutText, Is.EqualTo("about to crash"));
            Assert.That(run.StderrText, Does.Contain("InvalidOperationException").And.Contain("the-message"));
        });
    }

    [Test]
    public async Task A_missing_program_gives_a_clear_exception()
    {
        var missing = Path.Combine(Dummy.Folder, "NoSuchProgram");

        var e = await Assert.ThrowsAsync<FileNotFoundException>(() => RunAsync(new RunRequest(missing)));

        Assert.That(e!.Message, Does.Contain(missing));
    }

    [Test]
    public async Task A_program_that_cannot_be_executed_gives_a_clear_exception()
    {
        var notExecutable = Path.Combine(Dummy.Folder, "Dummy.runtimeconfig.json");

        var e = await Assert.ThrowsAsync<InvalidOperationException>(() => RunAsync(new RunRequest(notExecutable)));

        Assert.That(e!.Message, Does.Contain(notExecutable).And.Contain("executable"));
    }
}
