using ConcurrencyKata.Harness;
using ConcurrencyKata.Specs;
using NUnit.Framework.Internal;

namespace ConcurrencyKata.Tests;

/// <summary>The wording of the checks every exercise makes of a run, on made-up runs.</summary>
public sealed class RunsTests
{
    [Test]
    public void A_crash_after_the_task_limit_refused_threads_says_so_and_names_the_limit()
    {
        var message = FailureOf(() => Runs.ExitedWithZero(Crashed(refusals: 12)));

        Assert.That(
            message,
            Does.Contain("it crashed with exit code 134")
                .And.Contain("more than 300 threads and processes at once")
                .And.Contain("12 new ones were refused")
                .And.Contain("Out of memory")
                .And.Contain("a bounded number of workers")
        );
    }

    [Test]
    public void A_crash_without_refusals_points_at_the_exception()
    {
        var message = FailureOf(() => Runs.ExitedWithZero(Crashed(refusals: 0)));

        Assert.That(message, Does.Contain("it crashed with exit code 134").And.Contain("an exception"));
        Assert.That(message, Does.Not.Contain("refused"));
    }

    /// <summary>The message of the check's failure, without failing this test.</summary>
    private static string FailureOf(Action check)
    {
        using (new TestExecutionContext.IsolatedContext())
        {
            try
            {
                check();
            }
            catch (AssertionException failure)
            {
                return failure.Message;
            }
        }
        Assert.Fail("the check passed");
        return "";
    }

    private static RunRecord Crashed(int refusals) =>
        new()
        {
            Request = new RunRequest("/bin/true") { TaskLimit = 300 },
            Marker = "test",
            Program = "/bin/true",
            RootPid = 100,
            ExitCode = 134,
            StartedAt = 0,
            ExitedAt = 1_000_000_000,
            TimedOut = false,
            OutputFlooded = false,
            TaskLimitRefusals = refusals,
            Stdout = [],
            Stderr = [new OutputLine(500_000_000, "Out of memory.")],
            InputSent = [],
            Events = [],
            MalformedEvents = 0,
            Processes = [],
            Orphans = [],
            Survivors = [],
            Observation = new Observation("proc-poll", null, 200),
        };
}
