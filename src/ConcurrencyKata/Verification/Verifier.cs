using System.Globalization;
using ConcurrencyKata.Catalog;
using ConcurrencyKata.Workspace;

namespace ConcurrencyKata.Verification;

/// <summary>What verification reports while it works, for progress display.</summary>
public interface IVerificationProgress
{
    void Building(Exercise exercise);
    void Checking(Exercise exercise);
    void Checked(CheckResult check);
}

/// <summary>
/// The verification pipeline for one exercise: restore the pristine support library, build the
/// learner's project, run the exercise's specs against the built program.
/// </summary>
public sealed class Verifier(Course course, IProjectBuilder builder, ISpecRunner specs)
{
    public async Task<ExerciseResult> VerifyAsync(
        LearnerWorkspace workspace,
        Exercise exercise,
        BuildOptions options,
        IVerificationProgress? progress,
        string? seed,
        CancellationToken cancellationToken
    )
    {
        ArgumentNullException.ThrowIfNull(workspace);
        ArgumentNullException.ThrowIfNull(exercise);
        if (!workspace.IsPresent(exercise))
        {
            throw new KataException(
                $"Exercise {exercise.Slug} is not in this workspace. Run 'kata reset {exercise.Id}' to write it.",
                ExitCodes.Usage
            );
        }
        var restored = workspace.RestoreSupport(course);
        progress?.Building(exercise);
        var build = await builder
            .BuildAsync(
                workspace.ProjectPath(exercise),
                workspace.Root,
                options with
                {
                    RebuildDependencies = options.RebuildDependencies || restored,
                },
                cancellationToken
            )
            .ConfigureAwait(false);
        if (!build.Succeeded)
        {
            return new ExerciseResult(exercise, build, [], TimeSpan.Zero, TimeSpan.Zero)
            {
                Planned = SpecCatalog.Checks(exercise.Id),
            };
        }
        progress?.Checking(exercise);
        var chosenSeed = seed ?? Random.Shared.Next().ToString(CultureInfo.InvariantCulture);
        // Where the program runs as the learner's own user, nothing stops it from writing their files:
        // kept before, put back after (also when a signal stops kata in between).
        var snapshot = WorkspaceSnapshot.Take(workspace);
        SpecRun run;
        using (Interruption.OnStop(() => snapshot.Restore()))
        {
            try
            {
                run = await Task.Run(
                        () => specs.Run(exercise.Id, build.ProgramPath, chosenSeed, c => progress?.Checked(c)),
                        cancellationToken
                    )
                    .ConfigureAwait(false);
            }
            finally
            {
                Interruption.HoldIfStopping();
            }
        }
        var changes = snapshot.Restore();
        if (run.Checks.Count == 0)
        {
            throw new KataException(
                $"The course has no checks for {exercise.Id}; this installation of kata is incomplete.",
                ExitCodes.Usage
            );
        }
        return new ExerciseResult(exercise, build, run.Checks, run.Duration, run.ProgramTime)
        {
            Seed = chosenSeed,
            ChangedFiles = changes,
        };
    }
}
