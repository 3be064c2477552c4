namespace ConcurrencyKata.Harness;

/// <summary>What to run and under which limits. Immutable; derive variants with <c>with</c>.</summary>
/// <param name="ProgramPath">A built program: an apphost or a <c>.dll</c> (started as <c>dotnet app.dll</c>).</param>
public sealed record RunRequest(string ProgramPath)
{
    public IReadOnlyList<string> Arguments { get; init; } = [];

    /// <summary>Extra environment for the run (the run's parameters). A null value removes a variable.</summary>
    public IReadOnlyDictionary<string, string?> Environment { get; init; } = new Dictionary<string, string?>();

    public string? WorkingDirectory { get; init; }

    /// <summary>
    /// The culture the program runs under (through LANG and LC_ALL), by default one whose decimal
    /// separator is a comma: output that must not depend on the culture is checked, not assumed.
    /// </summary>
    public string Culture { get; init; } = "de-DE";

    /// <summary>The parameters of the work the program asks the run's work service for (never put in its environment).</summary>
    public Work.WorkPlan Work { get; init; } = new();

    /// <summary>The run is killed, tree and orphans included, when it lasts longer than this.</summary>
    public TimeSpan TimeLimit { get; init; } = TimeSpan.FromSeconds(20);

    /// <summary>
    /// The most processes of the run alive at once. A program that has more (a fork storm) is stopped
    /// as soon as it is seen, and the run reports it.
    /// </summary>
    public int ProcessLimit { get; init; } = 64;

    /// <summary>
    /// The most processes and threads of the run together, where a cgroup can enforce it (pids.max):
    /// beyond it a fork fails. A backstop for a storm faster than <see cref="ProcessLimit"/> can stop.
    /// </summary>
    public int TaskLimit { get; init; } = 1024;

    /// <summary>
    /// The most memory the run's processes may use together, where a cgroup can enforce it (memory.max,
    /// or memory.limit_in_bytes in cgroup v1): 1 GiB by default, which no correct solution nears. .NET
    /// sizes its heap by it, so a program over it fails with an OutOfMemoryException, or the kernel kills it.
    /// </summary>
    public long MemoryLimitBytes { get; init; } = 1L << 30;

    /// <summary>
    /// When this process is root and may change users (see <see cref="RunRecord.Isolation"/>): run the
    /// program as an unprivileged user of its own, from a copy of its build output, with only a fresh
    /// run folder writable. On by default; tests of the harness itself may turn it off.
    /// </summary>
    public bool Isolate { get; init; } = true;

    /// <summary>
    /// Put the run in cgroups of its own where this process may make them (see <see cref="RunRecord.Containment"/>).
    /// Off, the run is contained by its process group, session and run marker alone.
    /// </summary>
    public bool UseCgroups { get; init; } = true;

    /// <summary>Bytes kept per stream. A program that writes more is reported as flooding and stopped.</summary>
    public int OutputLimitBytes { get; init; } = 1 << 20;

    /// <summary>
    /// Lines written to the program's stdin, each at its offset from the program's start or from an
    /// output line it waits for (<see cref="TimedInput.AfterOutput"/>); stdin is closed after the last
    /// one (or at once when empty). Lines go out in order of their offsets when none waits for
    /// output, and in list order as soon as one does.
    /// </summary>
    public IReadOnlyList<TimedInput> Input { get; init; } = [];

    /// <summary>Keep stdin open after the last input line until the program exits.</summary>
    public bool KeepInputOpen { get; init; }

    /// <summary>Also record every thread of every observed process (names, lifetimes, CPU time).</summary>
    public bool ObserveThreads { get; init; } = true;

    public TimeSpan PollInterval { get; init; } = TimeSpan.FromMilliseconds(5);

    /// <summary>
    /// Also take forks, execs and exits from the kernel's process-event connector where permitted
    /// (root): exact parents and kernel timestamps, even for processes shorter than a poll. Where it
    /// is not permitted, observation is by polling alone.
    /// </summary>
    public bool UseKernelEvents { get; init; } = true;

    public RunRequest WithArguments(params string[] arguments) => this with { Arguments = arguments };

    public RunRequest WithEnvironment(string name, string? value)
    {
        var copy = new Dictionary<string, string?>(Environment, StringComparer.Ordinal) { [name] = value };
        return this with { Environment = copy };
    }
}

/// <summary>
/// A line sent to the program's stdin <paramref name="At"/> after it started, or, with
/// <see cref="AfterOutput"/>, <paramref name="At"/> after the program printed a given line: input
/// timed from the program being ready, not from a start-up that a loaded machine makes slow.
/// </summary>
public sealed record TimedInput(TimeSpan At, string Line)
{
    /// <summary>
    /// A regular expression for a stdout line to wait for. When set, <see cref="At"/> counts from the
    /// first stdout line of the run that matches it (one printed before included).
    /// </summary>
    public string? AfterOutput { get; init; }

    /// <summary>
    /// How long to wait for <see cref="AfterOutput"/>, counted from when the previous line was sent (or
    /// the program's start). A program that never prints it still gets the line then, marked
    /// <see cref="TimedInputSent.CueMissing"/>, so one missing line does not stall the whole dialogue.
    /// </summary>
    public TimeSpan WaitAtMost { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>The line <paramref name="delay"/> after the first stdout line matching <paramref name="pattern"/>.</summary>
    public static TimedInput After(string pattern, TimeSpan delay, string line) =>
        new(delay, line) { AfterOutput = pattern };
}
