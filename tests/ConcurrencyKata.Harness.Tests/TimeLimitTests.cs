using ConcurrencyKata.Harness;

namespace ConcurrencyKata.Harness.Tests;

public sealed class TimeLimitTests : HarnessTest
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(1);

    [Test]
    public async Task An_endless_loop_is_stopped_at_the_time_limit()
    {
        var run = await RunAsync(Dummy.Request("spin") with { TimeLimit = Limit });

        AssertStoppedAtTheLimit(run);
        Assert.That(run.StdoutText, Is.EqualTo("spinning"));
    }

    [Test]
    public async Task A_deadlocked_program_is_stopped_at_the_time_limit()
    {
        var run = await RunAsync(Dummy.Request("deadlock") with { TimeLimit = Limit });

        AssertStoppedAtTheLimit(run);
        Assert.That(run.StdoutText, Is.EqualTo("locking"));
        Assert.That(run.Root!.Threads.Select(t => t.Name), Is.SupersetOf(new[] { "takes-a-then-b", "takes-b-then-a" }));
    }

    [Test]
    public async Task A_program_waiting_for_its_children_is_stopped_with_them_at_the_time_limit()
    {
        var run = await RunAsync(Dummy.Request("spawn", "2", "60000") with { TimeLimit = Limit });

        AssertStoppedAtTheLimit(run);
        Assert.That(run.ChildrenOfRoot.Select(c => c.Pid), Is.EquivalentTo(Dummy.ChildPids(run)));
        Assert.That(Dummy.ChildPids(run).Where(Proc.IsAlive), Is.Empty);
    }

    [Test]
    public async Task A_cancelled_run_throws_and_leaves_nothing_behind()
    {
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(500));

        Assert.That(
            async () => await Runner.RunAsync(Dummy.Request("spawn", "2", "60000"), cancel.Token),
            Throws.InstanceOf<OperationCanceledException>()
        );

        var left = Proc.Pids()
            .Where(pid =>
                File.Exists($"/proc/{pid}/cmdline")
                && CommandLineOf(pid).StartsWith(Dummy.Folder, StringComparison.Ordinal)
            );
        Assert.That(left, Is.Empty);
    }

    private static void AssertStoppedAtTheLimit(RunRecord run) =>
        Assert.Multiple(() =>
        {
            Assert.That(run.TimedOut, Is.True);
            Assert.That(run.ExitCode, Is.Null);
            Assert.That(run.WallTime, Is.InRange(Limit, Limit + TimeSpan.FromSeconds(1.5)));
            Assert.That(Proc.IsAlive(run.RootPid), Is.False);
        });

    private static string CommandLineOf(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/cmdline");
        }
        catch (IOException)
        {
            return "";
        }
    }
}
