using ConcurrencyKata.Harness;
using ConcurrencyKata.Specs;

namespace ConcurrencyKata.Tests;

/// <summary>How the all-cores specs read Kata.Compute records and the OS's runnable time, on made-up runs.</summary>
public sealed class ComputationsTests
{
    private const long Ms = 1_000_000;
    private const int Pid = 100;

    [Test]
    public void Chunks_are_paired_per_thread_and_counted_at_their_busiest_moment()
    {
        var run = Run(
            [
                Event("compute-start", "1", 101, 0),
                Event("compute-start", "2", 102, 10),
                Event("compute-end", "1", 101, 500),
                Event("compute-start", "3", 101, 500),
                Event("compute-end", "2", 102, 510),
                Event("compute-end", "3", 101, 1000),
            ],
            []
        );

        var spans = Computations.Spans(run);

        Assert.That(spans.Select(s => (s.Chunk, s.Tid)), Is.EqualTo(new[] { ("1", 101), ("2", 102), ("3", 101) }));
        Assert.That(
            Computations.MostAtOnce(spans),
            Is.EqualTo(2),
            "chunk 3 starts as chunk 1 ends: they touch, no more"
        );
    }

    [TestCase(4, 2, 2)]
    [TestCase(2, 8, 2)]
    [TestCase(3, 1, 2)]
    [TestCase(4, 8, 4)]
    public void All_chunks_or_one_per_core_must_run_at_once_and_never_fewer_than_two(
        int chunks,
        int cores,
        int needed
    ) => Assert.That(Computations.NeededAtOnce(chunks, cores), Is.EqualTo(needed));

    [Test]
    public void Threads_that_waited_for_a_processor_show_as_ready_but_not_computing()
    {
        // Two threads computing 0.25 s each over one second on two cores: runnable all along, so ready
        // to use two cores, but they got only half a core: the rest went to other programs.
        var run = Run(
            [
                Event("compute-start", "1", 101, 0),
                Event("compute-start", "2", 102, 0),
                Event("compute-end", "1", 101, 1000),
                Event("compute-end", "2", 102, 1000),
            ],
            [Busy(101, 0, 1000), Busy(102, 0, 1000)]
        );

        var measured = Computations.Measure(run, Computations.Spans(run), new ComputePlan(2, 250), cores: 2);

        Assert.That(measured.CoresUsed, Is.EqualTo(0.5).Within(0.01));
        Assert.That(measured.CoresReady, Is.EqualTo(2.0).Within(0.05));
        Assert.That(measured.Waited!.Value.TotalSeconds, Is.EqualTo(1.5).Within(0.05));
    }

    [Test]
    public void Readiness_counts_at_most_the_cores()
    {
        var run = Run(
            [
                Event("compute-start", "1", 101, 0),
                Event("compute-start", "2", 102, 0),
                Event("compute-start", "3", 103, 0),
                Event("compute-end", "1", 101, 1000),
                Event("compute-end", "2", 102, 1000),
                Event("compute-end", "3", 103, 1000),
            ],
            [Busy(101, 0, 1000), Busy(102, 0, 1000), Busy(103, 0, 1000)]
        );

        var measured = Computations.Measure(run, Computations.Spans(run), new ComputePlan(3, 500), cores: 2);

        Assert.That(measured.CoresReady, Is.EqualTo(2.0).Within(0.05));
        Assert.That(measured.AtOnce, Is.EqualTo(3));
    }

    [Test]
    public void Readiness_counts_nothing_for_a_thread_once_it_is_done()
    {
        var run = Run(
            [
                Event("compute-start", "1", 101, 0),
                Event("compute-start", "2", 102, 0),
                Event("compute-end", "2", 102, 500),
                Event("compute-end", "1", 101, 1000),
            ],
            [Busy(101, 0, 1000), Busy(102, 0, 500)]
        );

        var measured = Computations.Measure(run, Computations.Spans(run), new ComputePlan(2, 500), cores: 2);

        Assert.That(measured.CoresReady, Is.EqualTo(1.5).Within(0.05));
    }

    [Test]
    public void Readiness_is_unknown_where_the_kernel_keeps_no_scheduler_statistics()
    {
        var run = Run(
            [Event("compute-start", "1", 101, 0), Event("compute-end", "1", 101, 400)],
            [new ObservedThread(101, "AllCores", 0, 400 * Ms, TimeSpan.FromMilliseconds(400))]
        );

        var measured = Computations.Measure(run, Computations.Spans(run), new ComputePlan(1, 400), cores: 2);

        Assert.That(measured.Ready, Is.Null);
        Assert.That(measured.CoresUsed, Is.EqualTo(1.0).Within(0.01));
    }

    private static SupportEvent Event(string name, string chunk, int tid, long ms) =>
        new(name, chunk, Pid, tid, ms * Ms);

    /// <summary>A thread runnable from <paramref name="fromMs"/> to <paramref name="toMs"/>, polled every 5 ms for a second.</summary>
    private static ObservedThread Busy(int tid, long fromMs, long toMs)
    {
        var samples = new List<RunnableSample>();
        for (var at = 0L; at <= 1000; at += 5)
        {
            var runnable = Math.Clamp(at, fromMs, toMs) - fromMs;
            samples.Add(new RunnableSample(at * Ms, runnable * Ms));
        }
        return new ObservedThread(tid, "AllCores", fromMs * Ms, toMs * Ms, TimeSpan.FromMilliseconds(toMs - fromMs))
        {
            RunnableSamples = samples,
        };
    }

    private static RunRecord Run(IReadOnlyList<SupportEvent> events, IReadOnlyList<ObservedThread> threads) =>
        new()
        {
            Request = new RunRequest("/bin/true"),
            Marker = "test",
            Program = "/bin/true",
            RootPid = Pid,
            ExitCode = 0,
            StartedAt = 0,
            ExitedAt = 1000 * Ms,
            TimedOut = false,
            OutputFlooded = false,
            Stdout = [],
            Stderr = [],
            InputSent = [],
            Events = events,
            MalformedEvents = 0,
            Processes =
            [
                new ObservedProcess
                {
                    Pid = Pid,
                    ParentPid = 1,
                    CommandLine = ["AllCores"],
                    SessionId = Pid,
                    FirstSeen = 0,
                    LastSeen = 1000 * Ms,
                    ExitSeen = 1000 * Ms,
                    CpuTime = TimeSpan.Zero,
                    Threads = threads,
                },
            ],
            Orphans = [],
            Survivors = [],
            Observation = new Observation("proc-poll", null, 200),
        };
}
