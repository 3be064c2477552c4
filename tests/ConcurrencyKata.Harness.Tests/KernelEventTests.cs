using ConcurrencyKata.Harness;

namespace ConcurrencyKata.Harness.Tests;

public sealed class KernelEventTests : HarnessTest
{
    [Test]
    public async Task Where_permitted_processes_are_also_observed_through_kernel_events()
    {
        NeedsKernelEvents();

        var run = await RunAsync(Dummy.Request("spawn", "1", "200"));

        Assert.That(run.Observation.Method, Is.EqualTo("proc-connector+proc-poll"));
        var child = run.ChildrenOfRoot.Single();
        Assert.That(child.CommandLine, Is.EqualTo(new[] { run.Program, "sleep", "200" }));
    }

    [Test]
    public async Task Children_shorter_than_a_poll_are_observed_with_their_parent()
    {
        NeedsKernelEvents();

        var run = await RunAsync(Dummy.Request("brief", "10"));

        var expected = Dummy.ChildPids(run);
        Assert.That(expected, Has.Count.EqualTo(10));
        Assert.That(run.ChildrenOfRoot.Select(c => c.Pid), Is.EquivalentTo(expected));
        Assert.Multiple(() =>
        {
            foreach (var child in run.ChildrenOfRoot)
            {
                Assert.That(child.ExitSeen, Is.Not.Null);
                Assert.That(child.FirstSeen, Is.LessThanOrEqualTo(child.ExitSeen!.Value));
                Assert.That(child.FirstSeen, Is.InRange(run.StartedAt, run.ExitedAt));
            }
            // Read at exec when the process is still there to be read; under load a child this brief
            // may be gone first: then it keeps what it was last seen as (its name, or its parent's
            // command line from before the exec), or nothing when it could not be read at all.
            Assert.That(
                run.ChildrenOfRoot.Select(c => c.CommandLine.Count == 0 ? "unread" : c.Executable),
                Has.All.AnyOf("true", "Dummy", "unread")
            );
            Assert.That(run.Orphans, Is.Empty);
        });
    }

    [Test]
    public async Task An_orphan_keeps_its_real_parent_even_when_the_parent_exits_at_once()
    {
        NeedsKernelEvents();

        var run = await RunAsync(Dummy.Request("orphan", "20000"));

        Assert.That(run.Orphans.Single().ParentPid, Is.EqualTo(run.RootPid));
    }

    [Test]
    public async Task Every_thread_is_known_from_the_kernel_even_one_shorter_than_a_poll()
    {
        NeedsKernelEvents();

        var run = await RunAsync(Dummy.Request("brief-threads", "20"));

        var printed = run
            .Stdout.Where(l => l.Text.StartsWith("thread ", StringComparison.Ordinal))
            .Select(l => int.Parse(l.Text[7..], System.Globalization.CultureInfo.InvariantCulture))
            .ToList();
        Assert.That(printed, Has.Count.EqualTo(20));
        Assume.That(run.Root!.AllThreadsSeen, Is.True, "the kernel dropped events under load during this run");
        Assert.That(run.Root.ThreadIds, Is.SupersetOf(printed));
    }

    [Test]
    public async Task Without_kernel_events_the_thread_list_is_not_claimed_complete()
    {
        var run = await RunAsync(Dummy.Request("brief-threads", "5") with { UseKernelEvents = false });

        Assert.That(run.Root!.AllThreadsSeen, Is.False);
        Assert.That(run.Root.ThreadIds, Does.Contain(run.RootPid));
    }

    [Test]
    public async Task Without_kernel_events_observation_falls_back_to_polling()
    {
        var run = await RunAsync(Dummy.Request("spawn", "2", "300") with { UseKernelEvents = false });

        Assert.That(run.Observation.Method, Is.EqualTo("proc-poll"));
        Assert.That(run.Observation.Available, Is.True);
        Assert.That(run.ChildrenOfRoot.Select(c => c.Pid), Is.EquivalentTo(Dummy.ChildPids(run)));
    }

    private static void NeedsKernelEvents()
    {
        if (!ProcEvents.Available)
        {
            Assert.Ignore("the kernel's process-event connector needs root (CAP_NET_ADMIN) and is not available here");
        }
    }
}
