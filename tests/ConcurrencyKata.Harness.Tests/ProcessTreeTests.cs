using ConcurrencyKata.Harness;

namespace ConcurrencyKata.Harness.Tests;

public sealed class ProcessTreeTests : HarnessTest
{
    [Test]
    public async Task Children_are_observed_with_their_parent_and_overlapping_lifetimes()
    {
        var run = await RunAsync(Dummy.Request("spawn", "2", "600"));

        var expected = Dummy.ChildPids(run);
        var children = run.ChildrenOfRoot.ToList();
        Assert.That(expected, Has.Count.EqualTo(2));
        Assert.That(children.Select(c => c.Pid), Is.EquivalentTo(expected));
        var (a, b) = (children[0], children[1]);
        Assert.Multiple(() =>
        {
            Assert.That(run.ExitCode, Is.EqualTo(0));
            Assert.That(run.Orphans, Is.Empty);
            Assert.That(a.ExitSeen, Is.Not.Null);
            Assert.That(b.ExitSeen, Is.Not.Null);
            Assert.That(
                a.FirstSeen,
                Is.LessThan(b.ExitSeen!.Value),
                "the first child was seen before the second ended"
            );
            Assert.That(
                b.FirstSeen,
                Is.LessThan(a.ExitSeen!.Value),
                "the second child was seen before the first ended"
            );
            Assert.That(MonotonicClock.Between(a.FirstSeen, a.ExitSeen!.Value).TotalMilliseconds, Is.GreaterThan(500));
            Assert.That(a.ExitSeen, Is.LessThanOrEqualTo(run.Root!.ExitSeen!.Value));
            Assert.That(b.ExitSeen, Is.LessThanOrEqualTo(run.Root.ExitSeen!.Value));
        });
    }

    [Test]
    public async Task A_childs_command_line_is_the_one_after_exec()
    {
        var run = await RunAsync(Dummy.Request("spawn", "1", "300"));

        var child = run.ChildrenOfRoot.Single();
        Assert.That(child.CommandLine, Is.EqualTo(new[] { run.Program, "sleep", "300" }));
        Assert.That(child.Executable, Is.EqualTo("Dummy"));
    }

    [Test]
    public async Task An_orphaned_child_is_reported_and_killed_without_waiting_for_the_time_limit()
    {
        var run = await RunAsync(Dummy.Request("orphan", "20000"));

        var orphan = Dummy.ChildPids(run).Single();
        Assert.Multiple(() =>
        {
            Assert.That(run.ExitCode, Is.EqualTo(0), "the main process exited on its own");
            Assert.That(run.TimedOut, Is.False);
            Assert.That(run.Orphans.Select(o => o.Pid), Is.EqualTo(new[] { orphan }));
            // The main process exits right after starting it: if that happened between two polls, the
            // orphan was first seen already re-parented to this process.
            Assert.That(run.Orphans[0].ParentPid, Is.EqualTo(run.RootPid).Or.EqualTo(Environment.ProcessId));
            Assert.That(run.Orphans[0].CommandLine, Is.EqualTo(new[] { run.Program, "sleep", "20000" }));
            Assert.That(
                run.WallTime,
                Is.LessThan(TimeSpan.FromSeconds(3)),
                "the orphan holds stdout open; the run must not wait for it"
            );
            Assert.That(Proc.IsAlive(orphan), Is.False);
        });
    }

    [Test]
    public async Task A_child_that_escaped_into_a_new_session_is_reported_and_killed()
    {
        var run = await RunAsync(Dummy.Request("escape", "20000"));

        var escaped = Dummy.ChildPids(run).Single();
        Assert.Multiple(() =>
        {
            Assert.That(run.ExitCode, Is.EqualTo(0));
            Assert.That(run.Orphans.Select(o => o.Pid), Is.EqualTo(new[] { escaped }));
            Assert.That(run.Orphans[0].SessionId, Is.EqualTo(escaped), "it runs in a session of its own");
            Assert.That(run.WallTime, Is.LessThan(TimeSpan.FromSeconds(3)));
            Assert.That(Proc.IsAlive(escaped), Is.False);
        });
    }

    [Test]
    public async Task A_daemon_that_cleared_its_environment_between_two_polls_is_reported_and_killed()
    {
        // As where kata cannot make cgroups or hear the kernel's events, with polls far apart: the
        // daemon's parent is gone before any poll sees it.
        var run = await RunAsync(
            Dummy.Request("daemon", "30") with
            {
                PollInterval = TimeSpan.FromMilliseconds(400),
                UseKernelEvents = false,
                UseCgroups = false,
            }
        );

        var daemon = run.Orphans.Where(o => o.CommandLine.SequenceEqual(["/bin/sleep", "30"])).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(run.ExitCode, Is.EqualTo(0));
            Assert.That(daemon, Has.Count.EqualTo(1), "the daemon, re-parented to the verifier, is the run's orphan");
            Assert.That(daemon.Select(d => Proc.IsAlive(d.Pid)), Is.All.False);
        });
    }

    [Test]
    public async Task An_orphaned_bin_sleep_is_reported_and_killed()
    {
        var run = await RunAsync(Dummy.Request("bin-sleep"));

        var sleep = Dummy.ChildPids(run).Single();
        Assert.Multiple(() =>
        {
            Assert.That(run.ExitCode, Is.EqualTo(0));
            Assert.That(run.Orphans.Select(o => o.Pid), Is.EqualTo(new[] { sleep }));
            Assert.That(run.Orphans[0].CommandLine, Is.EqualTo(new[] { "/bin/sleep", "30" }));
            Assert.That(run.Orphans[0].Executable, Is.EqualTo("sleep"));
            Assert.That(run.WallTime, Is.LessThan(TimeSpan.FromSeconds(3)));
            Assert.That(Proc.IsAlive(sleep), Is.False);
        });
    }

    [Test]
    public async Task Short_lived_orphans_are_reaped_even_when_never_observed()
    {
        var run = await RunAsync(Dummy.Request("sh-burst", "20"));

        Assert.That(run.ExitCode, Is.EqualTo(0));
        // The teardown checks that no zombie child is left in this process.
    }

    [Test]
    public async Task Two_runs_at_once_each_see_only_their_own_processes()
    {
        var runs = await Task.WhenAll(
            RunAsync(Dummy.Request("orphan", "20000")),
            RunAsync(Dummy.Request("orphan", "20000"))
        );

        foreach (var run in runs)
        {
            Assert.That(run.Orphans.Select(o => o.Pid), Is.EqualTo(Dummy.ChildPids(run)));
            Assert.That(run.Processes.Select(p => p.Pid), Is.EquivalentTo(Dummy.ChildPids(run).Append(run.RootPid)));
        }
    }

    [Test]
    public async Task Named_threads_are_visible_with_their_names_as_the_kernel_keeps_them()
    {
        var run = await RunAsync(Dummy.Request("threads", "3", "500"));

        var names = run.Root!.Threads.Select(t => t.Name).ToList();
        Assert.That(names, Is.SupersetOf(new[] { "kata-worker-0-w", "kata-worker-1-w", "kata-worker-2-w" }));
        Assert.That(run.Root.Threads.Single(t => t.Tid == run.RootPid).Name, Is.EqualTo("Dummy"));
        var worker = run.Root.Threads.First(t => t.Name == "kata-worker-0-w");
        Assert.That(MonotonicClock.Between(worker.FirstSeen, worker.LastSeen).TotalMilliseconds, Is.InRange(300, 1500));
    }

    [Test]
    public async Task The_programs_own_threads_are_told_apart_from_the_main_thread_and_the_runtimes()
    {
        var run = await RunAsync(Dummy.Request("threads", "3", "500"));

        var root = run.Root!;
        Assert.Multiple(() =>
        {
            Assert.That(root.MainThread?.Tid, Is.EqualTo(run.RootPid));
            Assert.That(root.Threads.Where(t => t.IsMainThread).Select(t => t.Tid), Is.EqualTo(new[] { run.RootPid }));
            Assert.That(
                root.ProgramThreads.Select(t => t.Name),
                Is.EquivalentTo(new[] { "kata-worker-0-w", "kata-worker-1-w", "kata-worker-2-w" })
            );
            Assert.That(root.Threads.Where(t => t.IsRuntimeThread), Is.Not.Empty);
            Assert.That(root.Threads.Where(t => t.IsRuntimeThread).Select(t => t.Name), Has.All.StartWith(".NET "));
            Assert.That(root.MainThread!.IsRuntimeThread, Is.False);
            var worker = root.ProgramThreads.First();
            Assert.That(root.ThreadWithId(worker.Tid), Is.SameAs(worker));
            Assert.That(root.Threads.Count(t => t.HasName("kata-worker-1-with-a-long-name")), Is.EqualTo(1));
        });
    }

    [Test]
    public async Task The_peak_thread_count_counts_threads_alive_at_the_same_time()
    {
        var many = await RunAsync(Dummy.Request("threads", "6", "500"));
        var few = await RunAsync(Dummy.Request("sleep", "500"));

        Assert.Multiple(() =>
        {
            // Six workers, the main thread and at least one runtime thread.
            Assert.That(many.Root!.PeakThreadCount, Is.GreaterThanOrEqualTo(8));
            Assert.That(few.Root!.PeakThreadCount, Is.InRange(1, many.Root.PeakThreadCount - 1));
        });
    }

    [Test]
    public async Task A_spinning_process_uses_cpu_time_and_a_sleeping_one_does_not()
    {
        var spinning = await RunAsync(Dummy.Request("spin", "1000"));
        var sleeping = await RunAsync(Dummy.Request("sleep", "1000"));

        Assert.Multiple(() =>
        {
            Assert.That(spinning.Root!.CpuTime, Is.GreaterThan(TimeSpan.FromSeconds(0.5)));
            Assert.That(sleeping.Root!.CpuTime, Is.LessThan(TimeSpan.FromSeconds(0.25)));
            Assert.That(
                spinning.Root.Threads.Single(t => t.Tid == spinning.RootPid).CpuTime,
                Is.GreaterThan(TimeSpan.FromSeconds(0.5))
            );
        });
    }
}
