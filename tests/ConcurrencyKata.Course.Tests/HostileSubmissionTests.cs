using System.Diagnostics;
using System.Globalization;
using ConcurrencyKata.Catalog;
using ConcurrencyKata.Harness;
using ConcurrencyKata.Verification;

namespace ConcurrencyKata.Course.Tests;

/// <summary>
/// Submissions written to hurt the grader, each dropped into exercise 2's Program.cs and put through
/// the whole verification (restore the support library, build, run the specs). Each must end in a
/// clear verdict within the time limit, leave every other check reported, and leave no process
/// behind. The programs are in Scenarios/; they bound themselves (process count, output size,
/// lifetime) so that even a grader that failed to contain them could not take the machine down.
/// One workspace serves every test, built once, as a learner's would be between two edits.
/// </summary>
[NonParallelizable]
[CancelAfter(180_000)]
public sealed class HostileSubmissionTests
{
    /// <summary>What a run may take beyond its time limit: noticing the end, killing the tree, reading the output.</summary>
    private static readonly TimeSpan RunMargin = TimeSpan.FromSeconds(3);

    /// <summary>What the whole check phase may take beyond the runs' time limits (the specs themselves, on a loaded machine).</summary>
    private static readonly TimeSpan CheckMargin = TimeSpan.FromSeconds(10);

    private Exercise _exercise = null!;
    private CourseWorkspace _workspace = null!;

    [OneTimeSetUp]
    public async Task ScaffoldAndBuildOnce()
    {
        _exercise = Repository.Course.Find("process-download");
        _workspace = CourseWorkspace.Create(_exercise, programFile: null);
        await _workspace.BuildAsync();
    }

    [OneTimeTearDown]
    public void RemoveWorkspace() => _workspace?.Dispose();

    [Test]
    public async Task A_fork_storm_is_stopped_at_the_process_limit_and_every_process_of_it_is_killed()
    {
        var verification = await VerifyAsync("fork-storm");

        var failure = verification.FailureSaying("forked more than the limit of");
        Assert.That(failure, Does.Contain("forked more than the limit of 64 processes"));
        Assert.That(verification.Runs.All(r => r.ProcessLimitExceeded), Is.True);
        TestContext.Out.WriteLine(string.Join("\n", verification.Runs.Select(r => r.Containment.ToString())));
        verification.AssertEndedInTimeAndNothingSurvived();
    }

    [Test]
    public async Task A_deadlock_between_the_program_and_its_workers_is_stopped_at_the_time_limit()
    {
        var verification = await VerifyAsync("deadlock");

        Assert.That(verification.Runs.All(r => r.TimedOut), Is.True, "every run hit the time limit");
        var limit = Specs.Runs.Seconds(verification.Runs[0].Request.TimeLimit);
        Assert.That(verification.FailureSaying("was stopped"), Does.Contain($"still running after {limit}"));
        verification.AssertEndedInTimeAndNothingSurvived();
    }

    [Test]
    public async Task A_child_that_escapes_into_its_own_session_without_the_marker_is_reported_and_killed()
    {
        var verification = await VerifyAsync("setsid-escape");

        var run = verification.Runs.Single();
        var escaped = int.Parse(
            run.Stdout.Single(l => l.Text.StartsWith("escaped ", StringComparison.Ordinal)).Text[8..],
            CultureInfo.InvariantCulture
        );
        var orphan = run.Orphans.SingleOrDefault(o => o.Pid == escaped);
        Assert.That(orphan, Is.Not.Null, "the escaped child is reported as left behind");
        var failure = verification.FailureSaying("still running after your program exited");
        Assert.That(failure, Does.Contain($"pid {escaped} (/bin/sleep 120)"));
        verification.AssertEndedInTimeAndNothingSurvived();
        Assert.That(
            Proc.StartTicks(escaped),
            Is.Not.EqualTo(orphan!.StartTicks),
            $"the escaped pid {escaped} was killed"
        );
    }

    [Test]
    public async Task An_output_flood_is_cut_at_one_mebibyte_and_stopped()
    {
        var verification = await VerifyAsync("output-flood");

        var run = verification.Runs.Single();
        Assert.That(run.OutputFlooded, Is.True);
        Assert.That(run.Stdout.Sum(l => l.Text.Length + 1), Is.LessThanOrEqualTo(run.Request.OutputLimitBytes));
        Assert.That(verification.FailureSaying("output flood"), Does.Contain("output flood stopped after 1 MiB"));
        Assert.That(
            run.WallTime,
            Is.LessThan(run.Request.TimeLimit / 2),
            "stopped at the flood, long before the time limit"
        );
        verification.AssertEndedInTimeAndNothingSurvived();
    }

    [Test]
    public async Task A_memory_hog_is_stopped_at_the_memory_limit_and_the_verdict_names_memory()
    {
        var verification = await VerifyAsync("memory-hog");

        var run = verification.Runs[0];
        Assume.That(
            run.MemoryLimit,
            Is.Not.Null,
            $"skipped: no memory controller here ({run.Containment.FallbackReason})"
        );
        Assert.That(run.MemoryLimitReached, Is.True);
        var failure = verification.Result.Checks.Single(c => c.Name == "Exits_with_code_zero").Message;
        Assert.That(failure, Does.Contain("it used more than 1 GiB of memory"));
        Assert.That(
            verification.Result.Checks.Where(c => c.Status == CheckStatus.NotJudged).Select(c => c.Message),
            Has.All.Contains("the program used more than 1 GiB of memory"),
            () => verification.Describe()
        );
        verification.AssertEndedInTimeAndNothingSurvived();
    }

    [Test]
    public async Task A_crash_is_reported_with_its_exit_code_and_exception()
    {
        var verification = await VerifyAsync("crash");

        var failure = verification.Result.Checks.Single(c => c.Name == "Exits_with_code_zero").Message;
        Assert.That(failure, Does.Contain("crashed with exit code 134"));
        Assert.That(failure, Does.Contain("IndexOutOfRangeException"));
        verification.AssertEndedInTimeAndNothingSurvived();
    }

    [Test]
    public async Task Records_the_program_writes_itself_are_no_evidence_of_work()
    {
        var verification = await VerifyAsync("fake-events");

        var check = verification.Result.Checks.Single(c => c.Name == "Downloads_run_at_the_same_time");
        Assert.That(check.Status, Is.EqualTo(CheckStatus.Failed), () => verification.Describe());
        Assert.That(check.Message, Does.Contain("no finished download of"));
        Assert.That(
            verification.Result.Score,
            Is.LessThan(verification.Result.MaxPoints / 2),
            () => verification.Describe()
        );
        verification.AssertEndedInTimeAndNothingSurvived();
    }

    [Test]
    public async Task A_tampered_support_library_is_restored_and_rebuilt_before_the_program_is_built()
    {
        var scenario = Scenario("tampered-support");
        var supportFile = Path.Combine(_workspace.Workspace.SupportDirectory, "Kata.cs");
        var pristine = File.ReadAllText(Path.Combine(Repository.CourseDirectory, "support", "Kata.cs"));
        var extra = Path.Combine(_workspace.Workspace.SupportDirectory, "Backdoor.cs");
        try
        {
            // The learner's edit, and a build made with it: the tampered library is already compiled.
            WriteProgram(Path.Combine(scenario, "Program.cs"));
            WriteFresh(supportFile, File.ReadAllText(Path.Combine(scenario, "Kata.cs")));
            WriteFresh(extra, "namespace ConcurrencyKata.Support;\n\ninternal static class Backdoor;\n");
            var tampered = await new DotnetProjectBuilder().BuildAsync(
                _workspace.Workspace.ProjectPath(_exercise),
                _workspace.Root,
                new BuildOptions(UseBuildServers: false) { RebuildDependencies = true },
                CancellationToken.None
            );
            Assert.That(tampered.Succeeded, Is.True, "the tampered library builds, and the program with it");

            var result = await Verifier()
                .VerifyAsync(
                    _workspace.Workspace,
                    _exercise,
                    new BuildOptions(UseBuildServers: false),
                    progress: null,
                    seed: "tampered",
                    CancellationToken.None
                );

            Assert.That(result.Status, Is.EqualTo(ExerciseStatus.BuildFailed), "built against the pristine library");
            Assert.That(result.Build.Errors, Has.Some.Contains("MarkAllDownloaded"));
            Assert.That(File.ReadAllText(supportFile), Is.EqualTo(pristine), "the library file is pristine again");
            Assert.That(File.Exists(extra), Is.False, "a file added to the library is removed");
            var built = Path.Combine(
                _workspace.Workspace.SupportDirectory,
                "bin",
                "Debug",
                "net10.0",
                "Kata.Support.dll"
            );
            Assert.That(
                File.ReadAllText(built, System.Text.Encoding.Latin1),
                Does.Not.Contain("MarkAllDownloaded"),
                "the library was rebuilt from the pristine copy"
            );
        }
        finally
        {
            _workspace.Workspace.RestoreSupport(Repository.Course);
        }
    }

    private static string Scenario(string name) =>
        Path.Combine(Repository.Root, "tests", "ConcurrencyKata.Course.Tests", "Scenarios", name);

    private async Task<Verification> VerifyAsync(string scenario)
    {
        WriteProgram(Path.Combine(Scenario(scenario), "Program.cs"));
        var runs = new RecordingRunner();
        var clock = Stopwatch.StartNew();
        var result = await Verifier(runs)
            .VerifyAsync(
                _workspace.Workspace,
                _exercise,
                new BuildOptions(UseBuildServers: false),
                progress: null,
                seed: scenario,
                CancellationToken.None
            );
        TestContext.Out.WriteLine(
            $"{scenario}: build {result.Build.Duration.TotalSeconds:0.0} s, checks {result.CheckTime.TotalSeconds:0.0} s, "
                + $"runs {string.Join(", ", runs.Records.Select(r => $"{r.Elapsed.TotalSeconds:0.0} s of {r.Record.Request.TimeLimit.TotalSeconds:0.0} s"))}, "
                + $"total {clock.Elapsed.TotalSeconds:0.0} s"
        );
        Assert.That(result.Build.Succeeded, Is.True, () => string.Join('\n', result.Build.Errors));
        return new Verification(result, runs.Records);
    }

    private static Verifier Verifier(IProgramRunner? runs = null) =>
        new(Repository.Course, new DotnetProjectBuilder(), new NUnitSpecRunner(runs));

    private void WriteProgram(string source) =>
        WriteFresh(_workspace.Workspace.ProgramPath(_exercise), File.ReadAllText(source));

    /// <summary>Writes the file with a fresh time stamp, so the incremental build sees the change.</summary>
    private static void WriteFresh(string path, string text)
    {
        File.WriteAllText(path, text);
        File.SetLastWriteTimeUtc(path, DateTime.UtcNow);
    }

    private sealed record TimedRun(RunRecord Record, TimeSpan Elapsed);

    private sealed record Verification(ExerciseResult Result, IReadOnlyList<TimedRun> Timed)
    {
        public IReadOnlyList<RunRecord> Runs => [.. Timed.Select(t => t.Record)];

        public string Describe() => string.Join("\n", Result.Checks.Select(c => $"{c.Name} ({c.Status}): {c.Message}"));

        /// <summary>The message of the one failed check that says <paramref name="text"/>; fails the test when there is none.</summary>
        public string FailureSaying(string text)
        {
            var check = Result.Checks.FirstOrDefault(c =>
                c.Status == CheckStatus.Failed && c.Message?.Contains(text, StringComparison.Ordinal) == true
            );
            Assert.That(check, Is.Not.Null, () => $"no failed check says \"{text}\":\n{Describe()}");
            return check!.Message!;
        }

        /// <summary>
        /// The verdict is whole and came in time, and nothing of any run is left: no process the runs
        /// observed (same pid and start time), no process carrying a run's marker.
        /// </summary>
        public void AssertEndedInTimeAndNothingSurvived()
        {
            Assert.That(Timed, Is.Not.Empty, "the program was run");
            Assert.That(Result.Status, Is.EqualTo(ExerciseStatus.Failed));
            Assert.That(
                Result.Checks.Select(c => c.Name),
                Is.EquivalentTo(SpecNames(Result.Exercise)),
                "every check reported"
            );
            foreach (var check in Result.Checks.Where(c => c.Status == CheckStatus.Failed))
            {
                Assert.That(check.Message, Does.Contain("Expected:").And.Contain("Observed:"), check.Name);
            }
            var limits = TimeSpan.Zero;
            foreach (var (record, elapsed) in Timed)
            {
                Assert.That(
                    elapsed,
                    Is.LessThanOrEqualTo(record.Request.TimeLimit + RunMargin),
                    "the run ended in time"
                );
                limits = TimeSpan.FromTicks(Math.Max(limits.Ticks, record.Request.TimeLimit.Ticks));
            }
            // The runs of exercise 2 are one at a time per fixture, so the longest limit bounds them all.
            Assert.That(Result.CheckTime, Is.LessThanOrEqualTo(limits * Timed.Count + CheckMargin));

            var left = new List<string>();
            foreach (var record in Runs)
            {
                left.AddRange(record.Survivors.Select(p => $"pid {p} (reported as a survivor)"));
                left.AddRange(
                    record
                        .Processes.Where(p => Proc.StartTicks(p.Pid) == p.StartTicks)
                        .Select(p => $"{p.Describe()} of run {record.RootPid}")
                );
                left.AddRange(
                    Proc.PidsWithMarker(record.Marker).Select(p => $"pid {p} with the marker of run {record.RootPid}")
                );
            }
            Assert.That(left, Is.Empty, "processes left behind");
        }
    }

    private static IEnumerable<string> SpecNames(Exercise exercise) =>
        typeof(Specs.ExerciseAttribute)
            .Assembly.GetTypes()
            .Where(t =>
                t.GetCustomAttributes(typeof(Specs.ExerciseAttribute), false)
                    .Cast<Specs.ExerciseAttribute>()
                    .Any(a => a.Id == exercise.Id)
            )
            .SelectMany(t => t.GetMethods())
            .Where(m => m.GetCustomAttributes(typeof(TestAttribute), false).Length > 0)
            .Select(m => m.Name);

    /// <summary>Keeps every run of a verification, with how long it took from the start to the end of the cleanup.</summary>
    private sealed class RecordingRunner : IProgramRunner
    {
        private readonly ProgramRunner _inner = new();
        private readonly List<TimedRun> _records = [];

        public IReadOnlyList<TimedRun> Records
        {
            get
            {
                lock (_records)
                {
                    return [.. _records];
                }
            }
        }

        public async Task<RunRecord> RunAsync(RunRequest request, CancellationToken cancellationToken = default)
        {
            var clock = Stopwatch.StartNew();
            var record = await _inner.RunAsync(request, cancellationToken);
            lock (_records)
            {
                _records.Add(new TimedRun(record, clock.Elapsed));
            }
            return record;
        }
    }

    /// <summary>An independent look at /proc, so the test does not trust the harness it checks.</summary>
    private static class Proc
    {
        /// <summary>The start time of the process now holding <paramref name="pid"/>; null when there is none (or only its zombie).</summary>
        public static long? StartTicks(int pid)
        {
            try
            {
                var text = File.ReadAllText($"/proc/{pid}/stat");
                var fields = text[(text.LastIndexOf(')') + 2)..].Split(' ');
                return fields[0] is "Z" or "X" ? null : long.Parse(fields[19], CultureInfo.InvariantCulture);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                return null;
            }
        }

        public static IEnumerable<int> PidsWithMarker(string marker)
        {
            var entry = $"{ProgramRunner.MarkerVariable}={marker}";
            foreach (var name in Directory.EnumerateDirectories("/proc").Select(Path.GetFileName))
            {
                if (!int.TryParse(name, NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
                {
                    continue;
                }
                string environment;
                try
                {
                    environment = File.ReadAllText($"/proc/{pid}/environ");
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    continue;
                }
                if (pid != Environment.ProcessId && environment.Split('\0').Contains(entry))
                {
                    yield return pid;
                }
            }
        }
    }
}
