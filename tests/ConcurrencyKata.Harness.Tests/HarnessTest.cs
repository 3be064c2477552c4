using System.Globalization;
using ConcurrencyKata.Harness;

namespace ConcurrencyKata.Harness.Tests;

/// <summary>
/// Base of every harness test: runs go through <see cref="RunAsync"/>, and after each test nothing of
/// any of its runs may be left: no listed process alive (same pid and start time), no process whose
/// environment carries a run's marker, no unreaped zombie child of this test process.
/// </summary>
[CancelAfter(30_000)]
public abstract class HarnessTest
{
    private readonly List<RunRecord> _runs = [];

    protected static IProgramRunner Runner { get; } = new ProgramRunner();

    protected async Task<RunRecord> RunAsync(RunRequest request)
    {
        var run = await Runner.RunAsync(request, TestContext.CurrentContext.CancellationToken);
        lock (_runs)
        {
            _runs.Add(run);
        }
        TestContext.Out.WriteLine(
            $"run {run.RootPid}: exit {run.ExitCode?.ToString(CultureInfo.InvariantCulture) ?? "-"}, "
                + $"{run.WallTime.TotalMilliseconds:0} ms, {run.Processes.Count} process(es), {run.Observation.Polls} polls"
        );
        return run;
    }

    [SetUp]
    public void ForgetRuns()
    {
        lock (_runs)
        {
            _runs.Clear();
        }
    }

    [TearDown]
    public void NothingOfTheRunSurvived()
    {
        RunRecord[] runs;
        lock (_runs)
        {
            runs = [.. _runs];
        }
        var problems = new List<string>();
        foreach (var run in runs)
        {
            if (run.Survivors.Count > 0)
            {
                problems.Add($"run {run.RootPid} reports survivors: {string.Join(", ", run.Survivors)}");
            }
            foreach (var process in run.Processes)
            {
                if (Proc.Stat(process.Pid) is { } stat && stat.StartTicks == process.StartTicks)
                {
                    problems.Add($"{process.Describe()} of run {run.RootPid} is still there (state {stat.State})");
                }
            }
            foreach (var pid in Proc.PidsWithMarker(run.Marker))
            {
                problems.Add($"pid {pid} carries the marker of run {run.RootPid}");
            }
        }
        foreach (var pid in Proc.ZombieChildrenOfThisProcess())
        {
            problems.Add($"pid {pid} is an unreaped zombie child of the test process");
        }
        Assert.That(problems, Is.Empty, "Processes left behind after the test");
    }
}
