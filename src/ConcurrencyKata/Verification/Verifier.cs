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
    /// <summary>
    /// The build and every run need room in the temporary folder; a full one is said as such, before
    /// it could pass for a build error or a crash of the learner's program.
    /// </summary>
    private static void CheckTemporaryFolder()
    {
        var probe = Path.Combine(Path.GetTempPath(), $"kata-probe-{Guid.NewGuid():N}");
        try
        {
            using (var file = new FileStream(probe, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1))
            {
                file.Write(new byte[64 * 1024]);
                file.Flush(flushToDisk: false);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new KataException(
                $"The temporary folder {Path.GetTempPath()} cannot be written: {SafeFile.Reason(e)}. "
                    + "The build and your program's runs need it: free some space there (or set TMPDIR to "
                    + "another folder), then run kata verify again. This is not a problem of your code.",
                ExitCodes.CouldNotWrite
            );
        }
        finally
        {
            try
            {
                File.Delete(probe);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException) { }
        }
    }

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
        CheckTemporaryFolder();
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
