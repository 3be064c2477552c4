namespace ConcurrencyKata.Harness;

/// <summary>What to run and under which limits. Immutable; derive variants with <c>with</c>.</summary>
/// <param name="ProgramPath">A built program: an apphost or a <c>.dll</c> (started as <c>dotnet app.dll</c>).</param>
public sealed record RunRequest(string ProgramPath)
{
    public IReadOnlyList<string> Arguments { get; init; } = [];

    /// <summary>Extra environment for the run (the run's parameters). A null value removes a variable.</summary>
    public IReadOnlyDictionary<string, string?> Environment { get; init; } = new Dictionary<string, string?>();

    public string? WorkingDirectory { get; init; }

    /// <summary>The run is killed, tree and orphans included, when it lasts longer than this.</summary>
    public TimeSpan TimeLimit { get; init; } = TimeSpan.FromSeconds(20);

    /// <summary>Bytes kept per stream. A program that writes more is reported as flooding and stopped.</summary>
    public int OutputLimitBytes { get; init; } = 1 << 20;

    /// <summary>Lines written to the program's stdin at the given offsets from its start; stdin is closed after the last one (or at once when empty).</summary>
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

/// <summary>A line sent to the program's stdin <paramref name="At"/> after it started.</summary>
public sealed record TimedInput(TimeSpan At, string Line);
