namespace ConcurrencyKata.Harness.Tests;

/// <summary>What a program cannot do to the verifier: as root, it runs as another user; everywhere, its memory is bounded.</summary>
public sealed class IsolationTests : HarnessTest
{
    [Test]
    public async Task As_root_a_program_runs_as_a_user_of_its_own_that_can_write_only_its_run_folder()
    {
        Assume.That(RunIsolation.Unavailable, Is.Null, $"skipped: {RunIsolation.Unavailable}");
        var target = Path.Combine(Path.GetTempPath(), "kata-isolation-" + Guid.NewGuid().ToString("N"));
        File.WriteAllText(target, "the verifier's");
        try
        {
            var run = await RunAsync(Dummy.Request("tamper", target));

            var lines = run.Stdout.Select(l => l.Text).ToList();
            Assert.Multiple(() =>
            {
                Assert.That(run.ExitCode, Is.EqualTo(0), string.Join('\n', run.Stderr.Select(l => l.Text)));
                Assert.That(run.Isolation, Does.StartWith("uid "));
                Assert.That(lines[0], Does.Match(@"^uid [1-9][0-9]{9}$"), "an unprivileged user id of its own");
                Assert.That(lines, Does.Contain("cannot write the file"));
                Assert.That(lines, Does.Contain("cannot kill the parent"));
                Assert.That(lines, Does.Contain("wrote its own folder"));
                Assert.That(File.ReadAllText(target), Is.EqualTo("the verifier's"));
                Assert.That(run.Program, Does.StartWith(Path.GetTempPath()).And.Contain("kata-run-"));
                Assert.That(
                    Directory.Exists(Path.GetDirectoryName(Path.GetDirectoryName(run.Program))),
                    Is.False,
                    "the run folder is deleted"
                );
            });
        }
        finally
        {
            File.Delete(target);
        }
    }

    [Test]
    public async Task Two_runs_get_different_users()
    {
        Assume.That(RunIsolation.Unavailable, Is.Null, $"skipped: {RunIsolation.Unavailable}");
        var first = await RunAsync(Dummy.Request("tamper", "/nonexistent/file"));
        var second = await RunAsync(Dummy.Request("tamper", "/nonexistent/file"));

        Assert.That(first.Stdout[0].Text, Is.Not.EqualTo(second.Stdout[0].Text));
    }

    [Test]
    public async Task A_program_over_the_memory_limit_is_reported_as_such()
    {
        var run = await RunAsync(Dummy.Request("hog", "2048") with { MemoryLimitBytes = 256L << 20 });

        Assume.That(
            run.MemoryLimit,
            Is.Not.Null,
            $"skipped: no memory controller here ({run.Containment.FallbackReason})"
        );
        TestContext.Out.WriteLine($"{run.Containment}; exit {run.ExitCode}; peak {run.PeakMemory}");
        Assert.Multiple(() =>
        {
            Assert.That(run.MemoryLimitReached, Is.True);
            Assert.That(run.ExitCode, Is.Not.EqualTo(0));
            Assert.That(run.Stdout.Select(l => l.Text), Has.None.StartsWith("kept"));
        });
    }

    [Test]
    public async Task A_program_well_under_the_memory_limit_is_not()
    {
        var run = await RunAsync(Dummy.Request("hog", "64") with { MemoryLimitBytes = 512L << 20 });

        Assume.That(
            run.MemoryLimit,
            Is.Not.Null,
            $"skipped: no memory controller here ({run.Containment.FallbackReason})"
        );
        Assert.Multiple(() =>
        {
            Assert.That(run.MemoryLimitReached, Is.False, $"peak {run.PeakMemory}");
            Assert.That(run.ExitCode, Is.EqualTo(0));
            Assert.That(run.PeakMemory, Is.GreaterThan(64L << 20));
        });
    }
}
