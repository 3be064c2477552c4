namespace ConcurrencyKata.Harness.Tests;

public sealed class CostTests : HarnessTest
{
    [Test]
    public async Task Observing_a_busy_process_tree_costs_little_cpu()
    {
        var observed = RunAsync(Dummy.Request("threads", "8", "2000"));
        var observerTicks = new Dictionary<int, long>();
        while (!observed.IsCompleted)
        {
            // The observer's own thread, measured apart from the test host's background work.
            foreach (var tid in ProcFs.Tasks(Environment.ProcessId))
            {
                if (ProcFs.TaskStat(Environment.ProcessId, tid) is { Comm: "kata-observer" } thread)
                {
                    observerTicks[tid] = thread.CpuTicks;
                }
            }
            await Task.Delay(20);
        }
        var run = await observed;

        var cpu = ProcFs.CpuTime(observerTicks.Values.Sum());
        TestContext.Out.WriteLine(
            $"observer: {cpu.TotalMilliseconds:0} ms of CPU over {run.WallTime.TotalMilliseconds:0} ms, {run.Observation.Polls} polls"
        );
        Assert.That(run.Root!.Threads, Has.Count.GreaterThan(8));
        Assert.That(observerTicks, Is.Not.Empty, "the observer's thread was measured");
        // A guard against an observer that spins (a whole core, 1.0), not a speed target: polling costs
        // about 0.1 of a core here, and up to 0.16 was seen while other test runs loaded the machine.
        Assert.That(cpu / run.WallTime, Is.LessThan(0.5), "share of one core spent observing");
    }
}
