using ConcurrencyKata.Catalog;

namespace ConcurrencyKata.Verification;

public enum CheckStatus
{
    Passed,
    Failed,
    Skipped,

    /// <summary>Not judged: the root cause another check reports left it nothing to judge. Earns nothing.</summary>
    NotJudged,
}

/// <summary>One spec's outcome, as the learner reads it.</summary>
/// <param name="Name">The spec's method name, e.g. Starts_one_child_process_per_file.</param>
/// <param name="Message">Why it failed or was skipped (Expected / Observed / Look at), null when it passed.</param>
public sealed record CheckResult(string Name, CheckStatus Status, string? Message, TimeSpan Duration)
{
    /// <summary>"Starts one child process per file".</summary>
    public string Sentence => Name.Replace('_', ' ');

    /// <summary>What the check is worth (the spec's <c>[Points(n)]</c>, default 1).</summary>
    public int Points { get; init; } = Specs.PointsAttribute.Default;

    /// <summary>The points earned: all of them when it passed, none otherwise (a skipped check earns none).</summary>
    public int Score => Status == CheckStatus.Passed ? Points : 0;
}

public enum ExerciseStatus
{
    Passed,
    Failed,
    BuildFailed,
}

public sealed record ExerciseResult(
    Exercise Exercise,
    BuildResult Build,
    IReadOnlyList<CheckResult> Checks,
    TimeSpan CheckTime,
    TimeSpan ProgramTime
)
{
    /// <summary>The seed of the verifier's random choices; <c>kata verify --seed</c> repeats them.</summary>
    public string? Seed { get; init; }

    /// <summary>The learner's files the program changed (put back since) or added while it ran; null when not looked at.</summary>
    public Workspace.WorkspaceSnapshot.Changes? ChangedFiles { get; init; }

    /// <summary>The checks the exercise has, known even when the build failed and none of them ran.</summary>
    public IReadOnlyList<SpecInfo> Planned { get; init; } = [];

    /// <summary>The points the exercise is worth: its checks' points, whether or not they ran.</summary>
    public int MaxPoints => Checks.Count > 0 ? Checks.Sum(c => c.Points) : Planned.Sum(s => s.Points);

    public int Score => Checks.Sum(c => c.Score);

    public ExerciseStatus Status =>
        !Build.Succeeded ? ExerciseStatus.BuildFailed
        : Checks.Count > 0 && Checks.All(c => c.Status is CheckStatus.Passed or CheckStatus.Skipped)
            ? ExerciseStatus.Passed
        : ExerciseStatus.Failed;

    public int ExitCode =>
        Status switch
        {
            ExerciseStatus.Passed => ExitCodes.Passed,
            ExerciseStatus.BuildFailed => ExitCodes.BuildFailed,
            _ => ExitCodes.Failed,
        };
}
