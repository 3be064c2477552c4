using ConcurrencyKata.Harness;
using ConcurrencyKata.Harness.Work;

namespace ConcurrencyKata.Harness.Tests;

public sealed class OutputTests : HarnessTest
{
    [Test]
    public async Task I_can_read_stdout_lines_with_timestamps_in_order()
    {
        string[] lines = ["first", "second", "", "fourth with spaces", "五"];

        var run = await RunAsync(Dummy.Request("echo", lines));

        Assert.That(run.Stdout.Select(l => l.Text), Is.EqualTo(lines));
        Assert.That(run.Stdout.Select(l => l.At), Is.Ordered);
        Assert.That(run.Stdout.First().At, Is.GreaterThanOrEqualTo(run.StartedAt));
        Assert.That(run.Stdout.Last().At, Is.LessThanOrEqualTo(MonotonicClock.Now));
        Assert.That(run.Stderr, Is.Empty);
    }

    [Test]
    public async Task I_can_read_stderr_lines_apart_from_stdout()
    {
        var run = await RunAsync(Dummy.Request("stderr", "oops", "again"));

        Assert.That(run.Stderr.Select(l => l.Text), Is.EqualTo(new[] { "oops", "again" }));
        Assert.That(run.Stderr.Select(l => l.At), Is.Ordered);
        Assert.That(run.Stdout, Is.Empty);
    }

    [Test]
    public async Task A_flooding_program_is_cut_at_the_output_limit_and_stopped_promptly()
    {
        var request = Dummy.Request("flood") with { OutputLimitBytes = 256 * 1024 };

        var run = await RunAsync(request);

        Assert.Multiple(() =>
        {
            Assert.That(run.OutputFlooded, Is.True);
            Assert.That(run.TimedOut, Is.False);
            Assert.That(run.ExitCode, Is.Null);
            Assert.That(run.Stdout.Sum(l => l.Text.Length + 1), Is.LessThanOrEqualTo(256 * 1024));
            Assert.That(run.Stdout, Has.Count.GreaterThan(100));
            Assert.That(run.WallTime, Is.LessThan(TimeSpan.FromSeconds(3)), "stopped long before the time limit");
        });
    }

    [Test]
    public async Task Stdin_is_closed_by_default_so_a_reading_program_sees_its_end_at_once()
    {
        var run = await RunAsync(Dummy.Request("read"));

        Assert.That(run.ExitCode, Is.EqualTo(0));
        Assert.That(run.Stdout.Select(l => l.Text.Split(' ')[0]), Is.EqualTo(new[] { "ready", "eof" }));
        var ready = long.Parse(run.Stdout[0].Text.Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture);
        var eof = long.Parse(run.Stdout[1].Text.Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture);
        Assert.That(MonotonicClock.Between(ready, eof), Is.LessThan(TimeSpan.FromMilliseconds(200)));
    }

    [Test]
    public async Task I_can_send_timed_input_lines_that_arrive_at_their_offsets()
    {
        var request = Dummy.Request("read") with
        {
            Input =
            [
                new TimedInput(TimeSpan.FromMilliseconds(700), "later"),
                new TimedInput(TimeSpan.FromMilliseconds(300), "sooner"),
            ],
        };

        var run = await RunAsync(request);

        Assert.That(run.ExitCode, Is.EqualTo(0));
        var got = run
            .Stdout.Where(l => l.Text.StartsWith("got ", StringComparison.Ordinal))
            .Select(l => l.Text.Split(' '))
            .ToList();
        Assert.That(got.Select(g => g[2]), Is.EqualTo(new[] { "sooner", "later" }));
        Assert.That(run.InputSent.Select(i => i.Line), Is.EqualTo(new[] { "sooner", "later" }));
        var offsets = got.Select(g =>
                MonotonicClock
                    .Between(run.StartedAt, long.Parse(g[1], System.Globalization.CultureInfo.InvariantCulture))
                    .TotalMilliseconds
            )
            .ToList();
        Assert.Multiple(() =>
        {
            Assert.That(offsets[0], Is.InRange(300, 600), "first line read at");
            Assert.That(offsets[1], Is.InRange(700, 1000), "second line read at");
            Assert.That(run.Stdout[^1].Text, Does.StartWith("eof "), "stdin closed after the last line");
        });
    }

    [Test]
    public async Task I_can_send_a_line_a_given_time_after_the_program_printed_a_line()
    {
        var request = Dummy.Request("read") with
        {
            Input =
            [
                TimedInput.After("^ready ", TimeSpan.Zero, "first"),
                TimedInput.After("^got [0-9]+ first$", TimeSpan.FromMilliseconds(300), "second"),
            ],
        };

        var run = await RunAsync(request);

        Assert.That(run.ExitCode, Is.EqualTo(0));
        Assert.That(run.Stdout.Select(l => l.Text.Split(' ')[0]), Is.EqualTo(new[] { "ready", "got", "got", "eof" }));
        var (ready, gotFirst, gotSecond) = (run.Stdout[0], run.Stdout[1], run.Stdout[2]);
        Assert.That(
            run.InputSent.Select(i => (i.Line, i.CueMissing)),
            Is.EqualTo(new[] { ("first", false), ("second", false) })
        );
        Assert.Multiple(() =>
        {
            Assert.That(run.InputSent[0].At, Is.GreaterThanOrEqualTo(ready.At), "first sent once ready was printed");
            Assert.That(
                gotFirst.At,
                Is.GreaterThanOrEqualTo(run.InputSent[0].At),
                "a reply is stamped after its input"
            );
            Assert.That(
                gotSecond.At,
                Is.GreaterThanOrEqualTo(run.InputSent[1].At),
                "a reply is stamped after its input"
            );
            Assert.That(
                MonotonicClock.Between(gotFirst.At, run.InputSent[1].At).TotalMilliseconds,
                Is.InRange(300, 1000),
                "second sent 300 ms after the reply to first"
            );
        });
    }

    [Test]
    public async Task A_line_waiting_for_output_that_never_comes_is_sent_after_waiting_at_most()
    {
        var request = Dummy.Request("read") with
        {
            Input =
            [
                new TimedInput(TimeSpan.FromMilliseconds(100), "first"),
                TimedInput.After("^never printed$", TimeSpan.FromSeconds(5), "second") with
                {
                    WaitAtMost = TimeSpan.FromMilliseconds(500),
                },
            ],
        };

        var run = await RunAsync(request);

        Assert.That(run.ExitCode, Is.EqualTo(0));
        Assert.That(
            run.InputSent.Select(i => (i.Line, i.CueMissing)),
            Is.EqualTo(new[] { ("first", false), ("second", true) })
        );
        Assert.Multiple(() =>
        {
            Assert.That(
                MonotonicClock.Between(run.InputSent[0].At, run.InputSent[1].At).TotalMilliseconds,
                Is.InRange(500, 900),
                "second sent once it had waited 500 ms after first, its own offset dropped"
            );
            Assert.That(run.Stdout[^1].Text, Does.StartWith("eof "), "stdin closed after the last line");
        });
    }

    [Test]
    public async Task Stdin_can_stay_open_and_the_run_still_ends_at_the_time_limit()
    {
        var request = Dummy.Request("read") with
        {
            Input = [new TimedInput(TimeSpan.Zero, "hello")],
            KeepInputOpen = true,
            TimeLimit = TimeSpan.FromSeconds(1),
        };

        var run = await RunAsync(request);

        Assert.That(run.TimedOut, Is.True);
        Assert.That(run.Stdout.Select(l => l.Text.Split(' ')[0]), Is.EqualTo(new[] { "ready", "got" }));
    }

    [Test]
    public async Task Input_due_after_the_program_ended_is_not_sent_and_does_not_delay_the_run()
    {
        var request = Dummy.Request("echo", "done") with
        {
            Input = [new TimedInput(TimeSpan.FromSeconds(5), "too late")],
        };

        var run = await RunAsync(request);

        Assert.That(run.ExitCode, Is.EqualTo(0));
        Assert.That(run.InputSent, Is.Empty);
        Assert.That(run.WallTime, Is.LessThan(TimeSpan.FromSeconds(3)));
    }

    [Test]
    public async Task The_work_service_records_a_call_with_the_pid_and_thread_the_kernel_attests()
    {
        var request = Dummy.Request("work", "download", "a.txt") with
        {
            Work = new WorkPlan { Durations = new Dictionary<string, int> { ["a.txt"] = 300 } },
        };
        var run = await RunAsync(request);

        var said = run.Stdout.Single().Text.Split(' ');
        var tid = int.Parse(said[2], System.Globalization.CultureInfo.InvariantCulture);
        Assert.Multiple(() =>
        {
            Assert.That(said[3], Is.EqualTo("end"));
            Assert.That(
                run.Events.Select(e => (e.Event, e.Name, e.Pid, e.Tid)),
                Is.EqualTo(
                    new[] { ("download-start", "a.txt", run.RootPid, tid), ("download-end", "a.txt", run.RootPid, tid) }
                )
            );
            Assert.That(
                MonotonicClock.Between(run.Events[0].At, run.Events[1].At),
                Is.GreaterThanOrEqualTo(TimeSpan.FromMilliseconds(300))
            );
            Assert.That(run.Events[0].At, Is.InRange(run.StartedAt, run.ExitedAt));
            Assert.That(run.UnattestedCalls, Is.Zero);
        });
    }

    [Test]
    public async Task A_call_that_names_an_idle_thread_is_recorded_with_no_thread()
    {
        Assume.That(WorkService.ThreadAttestationGap, Is.Null, "skipped: " + WorkService.ThreadAttestationGap);
        var request = Dummy.Request("work", "critical", "deposit", "decoy") with
        {
            Work = new WorkPlan { CriticalMs = 1 },
        };
        var run = await RunAsync(request);

        Assert.Multiple(() =>
        {
            Assert.That(
                run.Events.Select(e => (e.Event, e.Tid)),
                Is.EqualTo(new[] { ("critical-start", 0), ("critical-end", 0) })
            );
            Assert.That(run.UnattestedCalls, Is.EqualTo(1));
        });
    }

    [Test]
    public async Task The_program_gets_no_parameter_of_its_work_in_its_environment()
    {
        var request = Dummy.Request("env", "KATA_SERVICE", "KATA_DURATIONS", "KATA_COMPUTE_MS", "KATA_EVENTS") with
        {
            Work = new WorkPlan
            {
                Durations = new Dictionary<string, int> { ["secret.txt"] = 4321 },
                ComputeMs = 987,
            },
        };
        var run = await RunAsync(request);

        Assert.Multiple(() =>
        {
            Assert.That(run.Stdout[0].Text, Does.StartWith("KATA_SERVICE=@kata-service-"));
            Assert.That(
                run.Stdout.Skip(1).Select(l => l.Text),
                Is.EqualTo(new[] { "KATA_DURATIONS unset", "KATA_COMPUTE_MS unset", "KATA_EVENTS unset" })
            );
        });
    }
}
