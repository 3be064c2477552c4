using System.Globalization;
using ConcurrencyKata.Harness;

namespace ConcurrencyKata.Specs.AllCores;

/// <summary>
/// Runs the program twice, one mode after the other (never side by side: each run needs the
/// machine's cores for itself): <c>threads K</c> and <c>processes K</c>, each with its own random
/// number of chunks and chunk size. A chunk is Kata.Compute, which spins until its thread has used the
/// chunk's processor time, so every chunk is real work and is the same work on a busy machine.
/// The checks that decide pass or fail do not depend on how busy the machine is: which process and
/// thread computed each chunk and whether the chunks overlapped (the support library's records), and
/// each computing thread's processor time (the OS). Only the speed-up itself (processor time per
/// second of wall time) needs free cores; when other programs take them, that check is run again
/// after a near miss, and otherwise skipped with the figures (never passed).
/// </summary>
[Exercise("all-cores")]
public sealed class AllCoresSpecs
{
    // 0.3–0.4 s of processor time for the cheapest chunk (chunk K), 0.15 s more for each chunk before
    // it: far longer than starting a thread (microseconds) and longer than starting a .NET process
    // (about 0.1 s of processor time), so chunks started together overlap. The first chunk started is
    // the dearest, so the last worker started is done first, and a program that waits only for it
    // prints its total while the others compute, on every run. Short enough that K of them one after
    // another still end in time on a loaded machine.
    private const int MinChunkMs = 300;
    private const int MaxChunkMs = 400;
    private const int StepMs = 150;

    /// <summary>
    /// The speed-up to show: processor time per second of wall time while the chunks are computed.
    /// More than 1.0 can only come from threads computing at the same moment on different cores (one
    /// core gives at most one second of processor time per second); 1.2 leaves room for the kernel's
    /// tick-sized accounting. A loaded 2-core machine still shows it: with one other busy program, two
    /// computing threads get about 1.33 cores.
    /// </summary>
    private const double Target = 1.2;

    /// <summary>Runs of one mode in all, at most, when the machine is too busy to show the speed-up.</summary>
    private const int Attempts = 3;

    private static int Cores => Environment.ProcessorCount;

    private ModeRun _threads = null!;
    private ModeRun _processes = null!;

    [OneTimeSetUp]
    public async Task RunBothModes()
    {
        _threads = await RunAsync("threads");
        _processes = await RunAsync("processes");
    }

    private static async Task<ModeRun> RunAsync(string mode)
    {
        var plan = new ComputePlan(Learner.Random.Next(2, 5), Learner.Milliseconds(MinChunkMs, MaxChunkMs), StepMs);
        // All chunks one after another with a sixteenth of a core, plus starting the processes.
        var limit = (plan.Cpu * 16) + TimeSpan.FromSeconds(20);
        var request = plan.Apply(Learner.Request(mode, Text(plan.Chunks))) with { TimeLimit = limit };
        var run = await Learner.RunAsync(request);
        return new ModeRun(mode, plan, run, Computations.Spans(run));
    }

    [Test]
    public void Exits_with_code_zero()
    {
        Runs.ExitedWithZero(_threads.Run);
        Runs.ExitedWithZero(_processes.Run);
    }

    [Test]
    public void Event_log_matches_what_the_system_saw()
    {
        Runs.EventLogMatchesTheSystem(_threads.Run, _processes.Run);
    }

    [Test]
    public void Threads_mode_computes_every_chunk_inside_one_process()
    {
        var part = _threads;
        Runs.Finished(part.Run);
        EveryChunkComputed(part);
        var elsewhere = part.Spans.Where(s => s.Pid != part.Run.RootPid).ToList();
        Explain.That(
            elsewhere.Count == 0,
            $"in {part.Name}, every chunk computed by your program's own process (pid {part.Run.RootPid})",
            () => "these chunks were computed in another process: " + string.Join(", ", elsewhere.Select(Describe)),
            "mode threads starts threads (new Thread(...)) inside the program; worker processes are for mode processes"
        );
    }

    [Test]
    public void Threads_mode_computes_the_chunks_on_several_threads_at_once()
    {
        var part = _threads;
        Runs.Finished(part.Run);
        EveryChunkComputed(part);
        SeveralAtOnce(
            part,
            "threads",
            "start one new Thread per chunk and Start() them all before you Join any; a Join right after each Start, one thread computing every chunk, or Parallel.For with MaxDegreeOfParallelism = 1 computes one chunk at a time"
        );
    }

    [Test]
    public void Threads_mode_workers_use_processor_time() => UseProcessorTime(_threads, "thread");

    [Test]
    public Task Threads_mode_uses_several_cores() => UsesSeveralCores(_threads, "threads");

    [Test]
    public void Processes_mode_computes_every_chunk_in_a_child_process_of_its_own()
    {
        var part = _processes;
        Runs.Finished(part.Run);
        EveryChunkComputed(part);
        var inMain = part.Spans.Where(s => s.Pid == part.Run.RootPid).ToList();
        Explain.That(
            inMain.Count == 0,
            $"in {part.Name}, every chunk computed in a worker process, none in your main process (pid {part.Run.RootPid})",
            () => "your main process computed these chunks itself: " + string.Join(", ", inMain.Select(Describe)),
            "start a worker per chunk with Process.Start(Kata.WorkerStartInfo(\"chunk\", number)); the worker (mode chunk) calls Kata.Compute"
        );
        var shared = part
            .Spans.GroupBy(s => s.Pid)
            .Where(g => g.Count() > 1)
            .Select(g => $"pid {g.Key} computed chunks {string.Join(", ", g.Select(s => s.Chunk))}")
            .ToList();
        Explain.That(
            shared.Count == 0,
            $"in {part.Name}, {part.Plan.Chunks} worker processes, one chunk each",
            () => "one process computed several chunks: " + string.Join("; ", shared),
            "start one worker process per chunk, each with the number of its own chunk"
        );
        Runs.NeedsObservation(part.Run);
        var notChildren = part
            .Spans.Where(s => part.Run.Processes.FirstOrDefault(p => p.Pid == s.Pid)?.ParentPid != part.Run.RootPid)
            .Select(s => Describe(s) + ParentOf(part.Run, s.Pid))
            .ToList();
        Explain.That(
            notChildren.Count == 0,
            $"in {part.Name}, every worker process a child of your main process (pid {part.Run.RootPid})",
            () =>
                "these chunks were computed in processes your main process did not start itself: "
                + string.Join("; ", notChildren),
            "start the workers directly with Process.Start(Kata.WorkerStartInfo(...)), not through a shell"
        );
    }

    [Test]
    public void Processes_mode_computes_the_chunks_in_several_processes_at_once()
    {
        var part = _processes;
        Runs.Finished(part.Run);
        EveryChunkComputed(part);
        SeveralAtOnce(
            part,
            "processes",
            "start every worker process first, in one loop, and wait for them (WaitForExit) only afterwards, in a second loop; waiting right after each start runs the chunks one after another"
        );
    }

    [Test]
    public void Processes_mode_workers_use_processor_time() => UseProcessorTime(_processes, "process");

    [Test]
    public Task Processes_mode_uses_several_cores() => UsesSeveralCores(_processes, "processes");

    [Test]
    public void Waits_for_every_worker_process()
    {
        Runs.Finished(_processes.Run);
        Runs.LeftNoOrphans(_processes.Run);
    }

    [Test]
    public void Prints_the_total_after_the_last_chunk()
    {
        foreach (var part in new[] { _threads, _processes })
        {
            Runs.Finished(part.Run);
            var total = Totals.Line(part.Run);
            Explain.That(
                total is not null,
                $"a line \"total <seconds> s\" from {part.Name}",
                () => "no total line. " + Runs.Transcript(part.Run),
                "print the measured time once, at the end, as \"total 1.23 s\""
            );
            EveryChunkComputed(part);
            var lastEnd = part.Spans.Max(s => s.End);
            var later = part.Spans.Count(s => s.End > total!.At);
            Explain.That(
                total!.At >= lastEnd,
                $"in {part.Name}, the total printed once every chunk is computed",
                () =>
                    $"\"{total.Text.Trim()}\" at {Runs.At(part.Run, total.At)}, but {later} chunk(s) were still being computed; the last ended at {Runs.At(part.Run, lastEnd)}",
                part.Mode == "threads"
                    ? "Join every thread before printing the total"
                    : "wait for every worker process (WaitForExit) before printing the total"
            );
        }
    }

    [Test]
    public void Numbers_the_chunks_from_1_to_k()
    {
        foreach (var part in new[] { _threads, _processes })
        {
            Runs.Finished(part.Run);
            var expected = Enumerable.Range(1, part.Plan.Chunks).Select(Text).ToList();
            var computed = part.Spans.Select(s => s.Chunk).Distinct().Order(StringComparer.Ordinal).ToList();
            ChunksNotStoppedByTheVerifier(part, computed.Count);
            Explain.That(
                computed.SequenceEqual(expected.Order(StringComparer.Ordinal)),
                $"in {part.Name}, chunks {string.Join(", ", expected)} computed",
                () => computed.Count == 0 ? "no chunk computed" : "chunks " + string.Join(", ", computed),
                "number the chunks from 1 to K, as the README says: for (var chunk = 1; chunk <= k; chunk++)"
            );
        }
    }

    [Test]
    public void Prints_the_total_as_soon_as_the_workers_are_done()
    {
        foreach (var part in new[] { _threads, _processes })
        {
            Runs.Finished(part.Run);
            var total = Totals.Line(part.Run);
            if (total is null || part.Spans.Count == 0)
            {
                Explain.NotJudged(
                    $"no total or no chunk in {part.Name} (see \"Prints the total after the last chunk\")"
                );
            }
            // The workers are done when the last chunk ends (threads) or the last worker exits (processes).
            var done = part.Spans.Max(s => s.End);
            if (part.Mode == "processes")
            {
                done = part
                    .Run.Processes.Where(p => p.Pid != part.Run.RootPid && p.ExitSeen is not null)
                    .Select(p => p.ExitSeen!.Value)
                    .Append(done)
                    .Max();
            }
            var waited = MonotonicClock.Between(done, total.At);
            Explain.That(
                waited <= IdleAfterWorkers,
                $"in {part.Name}, the total printed within {Runs.Seconds(IdleAfterWorkers)} after the workers were done ({Runs.At(part.Run, done)})",
                () => $"\"{total.Text.Trim()}\" at {Runs.At(part.Run, total.At)}: {Runs.Seconds(waited)} later",
                part.Mode == "threads"
                    ? "wait for the threads themselves with Join: a Thread.Sleep guesses how long the chunks take, and the verifier changes that on every run"
                    : "wait for the worker processes themselves with WaitForExit: a Thread.Sleep guesses how long they take, and the verifier changes that on every run"
            );
        }
    }

    /// <summary>How long after its workers are done a program may take to print its total.</summary>
    private static readonly TimeSpan IdleAfterWorkers = TimeSpan.FromMilliseconds(500);

    /// <summary>
    /// One cause, one message: chunks missing because the program exited while its workers still
    /// computed (the verifier then stopped them) are said by "Waits for every worker process"; the
    /// checks that would count them are not judged.
    /// </summary>
    private static void ChunksNotStoppedByTheVerifier(ModeRun part, int computed)
    {
        if (computed < part.Plan.Chunks && part.Run.Orphans.Count > 0)
        {
            Explain.NotJudged(
                $"in {part.Name}, your program exited while {part.Run.Orphans.Count.ToString(CultureInfo.InvariantCulture)} of its workers were still computing, and the verifier stopped them (see \"Waits for every worker process\")"
            );
        }
    }

    /// <summary>Fails unless each of the K chunks was computed exactly once.</summary>
    private static void EveryChunkComputed(ModeRun part)
    {
        var computed = part.Spans.Select(s => s.Chunk).Distinct().Count();
        ChunksNotStoppedByTheVerifier(part, computed);
        Explain.That(
            part.Spans.Count == part.Plan.Chunks && computed == part.Plan.Chunks,
            $"{part.Plan.Chunks} chunks computed by {part.Name}, each once with Kata.Compute(<chunk number>)",
            () =>
                (
                    part.Spans.Count == 0
                        ? "no chunk was computed: Kata.Compute was never called"
                        : $"{part.Spans.Count} call(s) of Kata.Compute, for {computed} different chunk number(s): "
                            + string.Join(", ", part.Spans.Select(Describe))
                ) + $". {WhatTheWorkersDid(part)} {Runs.Transcript(part.Run, includeErrors: true)}",
            "every worker calls Kata.Compute with the number of its chunk (1 to K). Waiting is not computing: Task.Delay and Thread.Sleep use no processor, so they run side by side even where threads cannot compute in parallel, and prove nothing about cores"
        );
    }

    private static void SeveralAtOnce(ModeRun part, string workers, string lookAt)
    {
        var needed = Computations.NeededAtOnce(part.Plan.Chunks, Cores);
        var atOnce = Computations.MostAtOnce(part.Spans);
        if (atOnce < needed && AllAliveTogether(part))
        {
            // Started together, computed one after another: the workers waited for each other.
            lookAt =
                $"your {workers} were all running at the same time, yet computed one chunk at a time: they waited for each other. A lock (or another shared wait) around Kata.Compute lets only one compute at a time; compute outside any lock";
        }
        Explain.That(
            atOnce >= needed,
            $"in {part.Name}, at least {needed} chunks computed at the same moment, by different {workers} ({part.Plan.Chunks} chunks, {Cores} cores)",
            () =>
                $"at most {atOnce} chunk(s) at a time: "
                + string.Join(
                    ", ",
                    part.Spans.Select(s =>
                        Describe(s) + $" from {Runs.At(part.Run, s.Start)} to {Runs.At(part.Run, s.End)}"
                    )
                ),
            lookAt
        );
        // The OS's side of the story: a thread inside a chunk is runnable all along (it never waits),
        // even when it has to share a processor with others.
        var asleep = part
            .Spans.Select(s => (Span: s, Runnable: Computations.RunnableDuring(part.Run, s)))
            .Where(x => x.Runnable is { } r && x.Span.Wall >= TimeSpan.FromMilliseconds(300) && r < x.Span.Wall / 3)
            .ToList();
        Explain.That(
            asleep.Count == 0,
            $"in {part.Name}, every worker busy (runnable) while it computes its chunk",
            () =>
                "the OS saw these asleep for most of their chunk: "
                + string.Join(
                    "; ",
                    asleep.Select(x =>
                        $"{Describe(x.Span)}: runnable {Runs.Seconds(x.Runnable!.Value)} of {Runs.Seconds(x.Span.Wall)}"
                    )
                ),
            "call Kata.Compute directly in the worker, and nothing that waits while a chunk is computed"
        );
    }

    private static void UseProcessorTime(ModeRun part, string worker)
    {
        Runs.Finished(part.Run);
        EveryChunkComputed(part);
        Runs.NeedsObservation(part.Run);
        var byThread = part.Spans.GroupBy(s => (s.Pid, s.Tid)).ToList();
        var observed = byThread
            .Select(g => (Chunks: g.ToList(), Thread: Computations.ThreadOf(part.Run, g.First())))
            .Where(x => x.Thread is not null)
            .ToList();
        if (observed.Count == 0)
        {
            Explain.Skip("the OS did not show the threads that computed the chunks");
        }
        // A quarter of the chunk's processor time: the OS counts in ticks and is last read up to a poll
        // before the thread ends; a thread that only waits uses next to nothing.
        var idle = observed
            .Where(x => x.Thread!.CpuTime < Cost(part, x.Chunks) / 4)
            .Select(x =>
                $"{WorkerOf(part, x.Chunks[0])} computed chunk(s) {string.Join(", ", x.Chunks.Select(c => c.Chunk))} but used only {Runs.Seconds(x.Thread!.CpuTime)} of processor time"
            )
            .ToList();
        Explain.That(
            idle.Count == 0,
            $"in {part.Name}, every {worker} that computed a chunk used processor time: {part.Plan.Costs} per chunk",
            () => string.Join("; ", idle),
            "the chunk's work is Kata.Compute itself: call it in the worker"
        );
    }

    /// <summary>
    /// Processor time per second of wall time while computing, more than one core's worth (Target). A run that
    /// computed its chunks at the same time but fell short only because its threads waited for
    /// processors other programs were using proves nothing either way: the mode is run again after a
    /// near miss, and the check is skipped, with the figures, when the machine did not have the cores free.
    /// </summary>
    private static async Task UsesSeveralCores(ModeRun first, string mode)
    {
        if (Cores < 2)
        {
            Explain.Skip("this machine has one core: there is no second core to show");
        }
        var part = first;
        var tried = new List<Parallelism>();
        for (var attempt = 1; ; attempt++)
        {
            Runs.Finished(part.Run);
            EveryChunkComputed(part);
            var measured = Computations.Measure(part.Run, part.Spans, part.Plan, Cores);
            var target = Target;
            var expected =
                $"in {part.Name}, {part.Plan.Chunks} chunks ({part.Plan.Costs} of processor time each) computed on more than one core at once: processor time / wall time while they are computed ≥ {Parallelism.Format(target)} (one core gives at most 1.00)";
            if (measured.CoresUsed >= target)
            {
                return;
            }
            var needed = Computations.NeededAtOnce(part.Plan.Chunks, Cores);
            var figures =
                $"{Runs.Seconds(measured.Cpu)} of processor time in {Runs.Seconds(measured.Wall)}: {Parallelism.Format(measured.CoresUsed)} cores";
            if (measured.AtOnce < needed)
            {
                // One cause, one message: chunks computed one at a time are said by the check above.
                Explain.NotJudged(
                    $"{figures}; at most {measured.AtOnce} chunk(s) were computed at a time (see \"{(mode == "threads" ? "Threads mode computes the chunks on several threads at once" : "Processes mode computes the chunks in several processes at once")}\")"
                );
            }
            if (measured.Ready is null)
            {
                Explain.Skip(
                    $"{figures}, short of {Parallelism.Format(target)}, and this system does not show whether the threads were waiting for processors other programs were using"
                );
            }
            // Time the computing threads were ready to run but had no processor, a tenth of a core or
            // more, or enough readiness to have passed on a free machine: the shortfall is the machine's.
            var busyMachine = measured.Waited >= measured.Wall * 0.1 || measured.CoresReady >= target;
            Explain.That(
                busyMachine,
                expected,
                () =>
                    $"{figures}; the threads that computed were ready to run on only {Parallelism.Format(measured.CoresReady!.Value)} cores' worth: they computed at the same time for only part of the run",
                "start every worker at once and keep them all computing until the end; do not wait between starting one and the next"
            );
            tried.Add(measured);
            // Another run is worth it after a near miss; a machine that left far less than half the
            // cores free is not going to free them within seconds.
            if (attempt == Attempts || measured.CoresUsed < target / 2)
            {
                Explain.SkipBusyMachine(
                    $"{tried.Count} run(s) of mode {mode}: "
                        + string.Join(
                            "; ",
                            tried.Select(t =>
                                $"{t.Chunks} chunks, {t.AtOnce} computed at once, got {Parallelism.Format(t.CoresUsed)} cores' worth of processor time ({Parallelism.Format(Target)} needed) while ready to use {Parallelism.Format(t.CoresReady!.Value)}: they waited {Runs.Seconds(t.Waited!.Value)} in all for processors that other programs were using"
                            )
                        )
                        + ". Your chunks did run at the same time, so this is not a mistake of yours; verify again when the machine is quieter to see the speed-up measured"
                );
            }
            part = await RunAsync(mode);
        }
    }

    /// <summary>
    /// True when the OS saw every worker that computed a chunk alive at one same moment (threads of the
    /// program, or worker processes), before the first chunk ended.
    /// </summary>
    private static bool AllAliveTogether(ModeRun part)
    {
        if (!part.Run.Observation.Available || part.Spans.Count < 2)
        {
            return false;
        }
        var lifetimes = part
            .Spans.Select(s =>
                part.Mode == "threads"
                    ? Computations.ThreadOf(part.Run, s) is { } t
                        ? (t.FirstSeen, t.LastSeen)
                        : ((long, long)?)null
                    : part.Run.Processes.FirstOrDefault(p => p.Pid == s.Pid) is { } p
                        ? (p.FirstSeen, p.LastSeen)
                        : null
            )
            .ToList();
        if (lifetimes.Any(l => l is null))
        {
            return false;
        }
        var latestStart = lifetimes.Max(l => l!.Value.Item1);
        var earliestEnd = lifetimes.Min(l => l!.Value.Item2);
        return latestStart < earliestEnd && latestStart < part.Spans.Min(s => s.End);
    }

    /// <summary>What the OS saw the workers (the program's own threads, or its child processes) do, for when no chunk was computed.</summary>
    private static string WhatTheWorkersDid(ModeRun part)
    {
        var run = part.Run;
        if (!run.Observation.Available || run.Root is null)
        {
            return "";
        }
        if (part.Mode == "processes")
        {
            var children = run.ChildrenOfRoot.ToList();
            return children.Count == 0
                ? "The OS saw no worker process."
                : $"The OS saw {children.Count} worker process(es): alive {Runs.Seconds(Sum(children.Select(c => MonotonicClock.Between(c.FirstSeen, c.LastSeen))))} in all, with {Runs.Seconds(Sum(children.Select(c => c.CpuTime)))} of processor time (starting a .NET process takes about 0.1 s of it).";
        }
        var threads = run.Root.ProgramThreads.ToList();
        return threads.Count == 0
            ? "The OS saw no thread that your program started."
            : $"The OS saw {threads.Count} thread(s) that your program started: alive {Runs.Seconds(Sum(threads.Select(t => MonotonicClock.Between(t.FirstSeen, t.LastSeen))))} in all, with {Runs.Seconds(Sum(threads.Select(t => t.CpuTime)))} of processor time.";
    }

    private static TimeSpan Cost(ModeRun part, IEnumerable<ComputeSpan> chunks) =>
        Sum(chunks.Select(c => part.Plan.CostOf(c.Chunk)));

    private static TimeSpan Sum(IEnumerable<TimeSpan> spans) => spans.Aggregate(TimeSpan.Zero, (sum, t) => sum + t);

    private static string WorkerOf(ModeRun part, ComputeSpan span) =>
        part.Mode == "threads"
            ? Threads.Describe(part.Run, span.Tid)
            : $"process {span.Pid.ToString(CultureInfo.InvariantCulture)} (thread {span.Tid.ToString(CultureInfo.InvariantCulture)})";

    private static string ParentOf(RunRecord run, int pid)
    {
        var process = run.Processes.FirstOrDefault(p => p.Pid == pid);
        return process is null
            ? " (never seen by the OS observer)"
            : $" (parent pid {process.ParentPid.ToString(CultureInfo.InvariantCulture)})";
    }

    private static string Describe(ComputeSpan span) =>
        span.Tid == span.Pid
            ? $"chunk {span.Chunk} (pid {Text(span.Pid)}, its main thread)"
            : $"chunk {span.Chunk} (pid {Text(span.Pid)}, thread {Text(span.Tid)})";

    private static string Text(int value) => value.ToString(CultureInfo.InvariantCulture);

    private sealed record ModeRun(string Mode, ComputePlan Plan, RunRecord Run, IReadOnlyList<ComputeSpan> Spans)
    {
        public string Name => $"\"{Mode} {Plan.Chunks}\"";
    }
}
