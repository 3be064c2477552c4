using System.Diagnostics;
using System.Globalization;
using System.Text;
using CliWrap;
using ConcurrencyKata.Catalog;
using ConcurrencyKata.Verification;
using ConcurrencyKata.Workspace;

namespace ConcurrencyKata.Grading;

/// <param name="Workspace">The isolated copy to verify.</param>
/// <param name="ResultsPath">Where the grader writes the submission's results.json.</param>
/// <param name="LogPath">Where its console output goes.</param>
public sealed record GradingJob(
    string Student,
    string Workspace,
    string ResultsPath,
    string LogPath,
    TimeSpan TimeLimit
);

/// <param name="ExitCode">The verification's exit code; null when it was stopped.</param>
/// <param name="Results">
/// What the verification wrote on its standard output: its results.json, read from a pipe only the
/// grader holds (never from a file the submission could write); null when there was nothing.
/// </param>
public sealed record GradingRun(int? ExitCode, bool TimedOut, TimeSpan Duration, string? Results = null)
{
    /// <summary>True when the verification ended by itself with one of its own exit codes (0: all passed, 1: not all).</summary>
    public bool EndedNormally => !TimedOut && ExitCode is ExitCodes.Passed or ExitCodes.Failed;
}

/// <summary>The seam between batch grading and verification.</summary>
public interface ISubmissionGrader
{
    /// <summary>Does once what every copy shares: restores and builds the support library and the projects in <paramref name="common"/>.</summary>
    /// <exception cref="KataException">The shared build failed: no submission can be graded.</exception>
    Task PrepareAsync(LearnerWorkspace common, IReadOnlyList<Exercise> exercises, CancellationToken cancellationToken);

    /// <summary>Verifies every exercise in the job's workspace, writing its results.json.</summary>
    Task<GradingRun> GradeAsync(GradingJob job, CancellationToken cancellationToken);
}

/// <summary>
/// Verifies each submission in a process of its own (<c>kata verify --all</c> on the isolated copy):
/// no state is shared between submissions, and a submission that hangs or misbehaves is ended with
/// everything it started — the process tree, then every process carrying the submission's marker.
/// </summary>
public sealed class ProcessSubmissionGrader(Course course) : ISubmissionGrader
{
    public const string MarkerVariable = "KATA_GRADE_MARKER";
    private const int LogLimit = 256 * 1024;
    private const int ResultsLimit = 64 * 1024 * 1024;
    private static readonly TimeSpan SweepLimit = TimeSpan.FromSeconds(10);

    public async Task PrepareAsync(
        LearnerWorkspace common,
        IReadOnlyList<Exercise> exercises,
        CancellationToken cancellationToken
    )
    {
        ArgumentNullException.ThrowIfNull(common);
        ArgumentNullException.ThrowIfNull(exercises);
        var builder = new DotnetProjectBuilder();
        foreach (var exercise in exercises)
        {
            // The stubs build; what matters is the restore and the support library's build, which every copy reuses.
            var build = await builder
                .BuildAsync(
                    common.ProjectPath(exercise),
                    common.Root,
                    new BuildOptions(UseBuildServers: false),
                    cancellationToken
                )
                .ConfigureAwait(false);
            if (!build.Succeeded)
            {
                // Not a submission's fault: grading on would mark every student build-failed.
                throw new KataException(
                    $"The shared build of the course stub of {exercise.Slug} failed, so no submission was graded "
                        + "(this is not a submission's fault: check the course and the .NET SDK):\n"
                        + string.Join('\n', build.Errors),
                    ExitCodes.Usage
                );
            }
        }
    }

    public async Task<GradingRun> GradeAsync(GradingJob job, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(job);
        var marker = Guid.NewGuid().ToString("N");
        // Should kata grade be stopped or killed, the guardian ends the verification and all it started.
        using var guarded = Harness.Guardian.Marker($"{MarkerVariable}={marker}");
        var clock = Stopwatch.StartNew();
        var log = new BoundedLog(LogLimit);
        var results = new StringBuilder();
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(job.TimeLimit);
        var command = Cli.Wrap(Harness.DotnetHost.Path)
            .WithArguments([
                typeof(ProcessSubmissionGrader).Assembly.Location,
                "verify",
                "--all",
                "--no-build-servers",
                // The results come back on the verification's standard output, a pipe only this
                // process holds; no path on the command line for the submission to find and write.
                "--results",
                "-",
                "--workspace",
                job.Workspace,
            ])
            .WithWorkingDirectory(job.Workspace)
            .WithEnvironmentVariables(env =>
                env.Set(MarkerVariable, marker)
                    .Set(Course.CourseDirectoryVariable, course.Root)
                    .Set("CI", "true")
                    .Set("NO_COLOR", "1")
                    .Set("DOTNET_NOLOGO", "1")
                    .Set("DOTNET_CLI_TELEMETRY_OPTOUT", "1")
                    .Set("MSBUILDDISABLENODEREUSE", "1")
                    .Set("DOTNET_CLI_USE_MSBUILD_SERVER", "0")
                    // One submission's verification must not annotate the grading job or write its step summary.
                    .Set("GITHUB_ACTIONS", null)
                    .Set("GITHUB_STEP_SUMMARY", null)
            )
            .WithStandardInputPipe(PipeSource.Null)
            .WithStandardOutputPipe(
                PipeTarget.ToDelegate(line =>
                {
                    if (results.Length < ResultsLimit)
                    {
                        results.Append(line).Append('\n');
                    }
                })
            )
            .WithStandardErrorPipe(PipeTarget.ToDelegate(log.Add))
            .WithValidation(CommandResultValidation.None);
        int? exitCode = null;
        var timedOut = false;
        try
        {
            var result = await Harness.OwnChildren.Start(() => command.ExecuteAsync(limit.Token)).ConfigureAwait(false);
            exitCode = result.ExitCode;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            timedOut = true;
            log.Add(
                string.Create(
                    CultureInfo.InvariantCulture,
                    $"Stopped at the time limit of {job.TimeLimit.TotalSeconds:0} s."
                )
            );
        }
        finally
        {
            // A verification a signal to kata ended is no grade.
            Interruption.HoldIfStopping();
            ProcessSweep.KillCarrying($"{MarkerVariable}={marker}", SweepLimit);
            await File.WriteAllTextAsync(job.LogPath, log.ToString(), CancellationToken.None).ConfigureAwait(false);
        }
        return new GradingRun(exitCode, timedOut, clock.Elapsed, results.Length > 0 ? results.ToString() : null);
    }

    /// <summary>The first lines of a verification's output, and a note that the rest was cut.</summary>
    private sealed class BoundedLog(int limit)
    {
        private readonly StringBuilder _text = new();
        private bool _cut;

        public void Add(string line)
        {
            lock (_text)
            {
                if (_text.Length + line.Length < limit)
                {
                    _text.Append(line).Append('\n');
                }
                else if (!_cut)
                {
                    _cut = true;
                    _text.Append("[output cut]\n");
                }
            }
        }

        public override string ToString()
        {
            lock (_text)
            {
                return _text.ToString();
            }
        }
    }
}
