using ConcurrencyKata.Harness;

namespace ConcurrencyKata.Harness.Tests;

/// <summary>Hostile programs: a fork storm and a child that hides from everything but a cgroup.</summary>
public sealed class ContainmentTests : HarnessTest
{
    [Test]
    public async Task A_fork_storm_is_stopped_once_it_passes_the_process_limit_and_nothing_of_it_survives()
    {
        var run = await RunAsync(Dummy.Request("fork-storm", "300") with { ProcessLimit = 40 });

        TestContext.Out.WriteLine($"{run.Containment}; peak {run.PeakProcesses} processes");
        Assert.Multiple(() =>
        {
            Assert.That(run.ProcessLimitExceeded, Is.True);
            Assert.That(run.PeakProcesses, Is.GreaterThan(40));
            Assert.That(run.ExitCode, Is.Null, "a stopped run has no exit code");
            Assert.That(run.TimedOut, Is.False);
            Assert.That(run.WallTime, Is.LessThan(TimeSpan.FromSeconds(8)), "stopped long before the time limit");
            Assert.That(
                run.Orphans,
                Is.Empty,
                "a stopped run reports no orphans: it was stopped, it did not leave them"
            );
        });
        // The teardown checks that none of the storm's processes is left.
    }

    [Test]
    public async Task Without_cgroups_a_fork_storm_is_contained_by_its_session_and_run_marker()
    {
        var run = await RunAsync(Dummy.Request("fork-storm", "300") with { ProcessLimit = 40, UseCgroups = false });

        Assert.Multiple(() =>
        {
            Assert.That(run.Containment.Method, Is.EqualTo(Containment.WithoutCgroup));
            Assert.That(run.Containment.FallbackReason, Does.Contain("turned off"));
            Assert.That(run.ProcessLimitExceeded, Is.True);
            Assert.That(run.WallTime, Is.LessThan(TimeSpan.FromSeconds(8)));
        });
    }

    [Test]
    public async Task Where_a_cgroup_limits_tasks_a_fork_beyond_the_limit_fails_in_the_program()
    {
        var run = await RunAsync(
            Dummy.Request("fork-storm", "300") with
            {
                ProcessLimit = 10_000,
                TaskLimit = 100,
                TimeLimit = TimeSpan.FromSeconds(4),
            }
        );

        Assume.That(
            run.Containment.Method,
            Does.Contain("pids.max"),
            $"no pids controller here: {run.Containment.FallbackReason}"
        );
        TestContext.Out.WriteLine($"{run.Containment}; peak {run.PeakProcesses} processes; {run.StdoutText}");
        Assert.Multiple(() =>
        {
            Assert.That(run.StdoutText, Does.Contain("fork failed after "));
            Assert.That(run.TaskLimitRefusals, Is.GreaterThan(0), "the kernel's count of refused forks");
            Assert.That(run.PeakProcesses, Is.LessThanOrEqualTo(100));
            Assert.That(run.TimedOut, Is.True, "the program itself goes on after the failed fork");
        });
    }

    [Test]
    public async Task A_child_in_its_own_session_without_the_run_marker_is_still_killed_through_the_cgroup()
    {
        var run = await RunAsync(Dummy.Request("vanish") with { UseKernelEvents = false });

        Assume.That(
            run.Containment.Method,
            Does.StartWith("cgroup"),
            $"no cgroup here: {run.Containment.FallbackReason}"
        );
        var child = Dummy.ChildPids(run).Single();
        Assert.Multiple(() =>
        {
            Assert.That(run.ExitCode, Is.EqualTo(0));
            Assert.That(run.Orphans.Select(o => o.Pid), Does.Contain(child));
            Assert.That(Proc.IsAlive(child), Is.False, $"pid {child} was killed");
        });
    }

    [Test]
    public async Task The_run_records_how_it_was_contained()
    {
        var run = await RunAsync(Dummy.Request("exit", "0"));

        TestContext.Out.WriteLine(run.Containment.ToString());
        Assert.That(run.Containment.Method, Does.EndWith(Containment.WithoutCgroup));
        Assert.That(
            run.Containment.Method.StartsWith("cgroup", StringComparison.Ordinal)
                || run.Containment.FallbackReason is not null,
            Is.True,
            "without a cgroup, the reason is kept"
        );
    }
}
