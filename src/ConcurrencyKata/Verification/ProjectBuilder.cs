using System.Diagnostics;
using CliWrap;
using CliWrap.Buffered;

namespace ConcurrencyKata.Verification;

/// <param name="ProgramPath">The built program (apphost, or the .dll where there is none).</param>
/// <param name="Errors">Compiler and MSBuild errors as printed, paths relative to the workspace.</param>
public sealed record BuildResult(bool Succeeded, string ProgramPath, IReadOnlyList<string> Errors, TimeSpan Duration);

public sealed record BuildOptions(bool UseBuildServers)
{
    /// <summary>The support library was just restored: rebuild it rather than trust its last build.</summary>
    public bool RebuildDependencies { get; init; }

    /// <summary>
    /// Build servers make a rebuild after an edit about twice as fast, so they stay on (unless the
    /// user turned them off in the environment, which dotnet itself honours). Under CI they are
    /// turned off: a grader must not leave compiler servers running after it finishes.
    /// </summary>
    public static BuildOptions Default(bool noBuildServersOption) =>
        new(!noBuildServersOption && !IsCi(Environment.GetEnvironmentVariable("CI")));

    private static bool IsCi(string? value) =>
        !string.IsNullOrEmpty(value) && !value.Equals("false", StringComparison.OrdinalIgnoreCase) && value != "0";
}

/// <summary>The seam between verification and the .NET SDK.</summary>
public interface IProjectBuilder
{
    Task<BuildResult> BuildAsync(
        string projectPath,
        string workspaceRoot,
        BuildOptions options,
        CancellationToken cancellationToken
    );
}

/// <summary>Builds a learner project with <c>dotnet build</c>, skipping the restore when it is already done.</summary>
public sealed class DotnetProjectBuilder : IProjectBuilder
{
    private static readonly TimeSpan TimeLimit = TimeSpan.FromMinutes(5);

    public async Task<BuildResult> BuildAsync(
        string projectPath,
        string workspaceRoot,
        BuildOptions options,
        CancellationToken cancellationToken
    )
    {
        ArgumentNullException.ThrowIfNull(options);
        var clock = Stopwatch.StartNew();
        var arguments = new List<string> { "build", projectPath, "-nologo", "-v:q", "-clp:NoSummary" };
        var support = Path.Combine(workspaceRoot, ".kata", "support", "Kata.Support.csproj");
        if (IsRestored(projectPath) && IsRestored(support))
        {
            arguments.Add("--no-restore");
            // Checking the referenced project costs a third of a rebuild; skip it when its build is current.
            if (!options.RebuildDependencies && IsBuilt(support))
            {
                arguments.Add("--no-dependencies");
            }
        }
        if (!options.UseBuildServers)
        {
            arguments.AddRange(["-p:UseSharedCompilation=false", "-nodeReuse:false"]);
        }
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(TimeLimit);
        var command = Cli.Wrap(Harness.DotnetHost.Path)
            .WithArguments(arguments)
            .WithWorkingDirectory(Path.GetDirectoryName(projectPath)!)
            .WithEnvironmentVariables(env =>
            {
                env.Set("DOTNET_NOLOGO", "1").Set("DOTNET_CLI_TELEMETRY_OPTOUT", "1");
                if (!options.UseBuildServers)
                {
                    env.Set("DOTNET_CLI_USE_MSBUILD_SERVER", "0");
                }
                else if (Environment.GetEnvironmentVariable("DOTNET_CLI_USE_MSBUILD_SERVER") is null)
                {
                    env.Set("DOTNET_CLI_USE_MSBUILD_SERVER", "1");
                }
            })
            .WithValidation(CommandResultValidation.None);
        BufferedCommandResult result;
        try
        {
            result = await Harness
                .OwnChildren.Start(() => command.ExecuteBufferedAsync(limit.Token))
                .ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new BuildResult(
                false,
                "",
                [$"The build did not finish within {TimeLimit.TotalMinutes:0} minutes."],
                clock.Elapsed
            );
        }
        if (result.ExitCode != 0 && MachineFault(result.StandardOutput + "\n" + result.StandardError) is { } fault)
        {
            throw new KataException(
                $"The build of {Path.GetFileName(projectPath)} could not write its files: {fault}. "
                    + "This is a problem of the machine, not of your code: free some space (the workspace's "
                    + $"disk, and the temporary folder {Path.GetTempPath()}), then run kata verify again.",
                ExitCodes.CouldNotWrite
            );
        }
        var errors =
            result.ExitCode == 0 ? [] : Errors(result.StandardOutput + "\n" + result.StandardError, workspaceRoot);
        return new BuildResult(result.ExitCode == 0, ProgramPath(projectPath), errors, clock.Elapsed);
    }

    /// <summary>What in the build's output says the machine, not the code, failed it; null when nothing does.</summary>
    internal static string? MachineFault(string output) =>
        output.Contains("No space left on device", StringComparison.Ordinal)
            ? "the disk is full (No space left on device)"
        : output.Contains("Disk quota exceeded", StringComparison.Ordinal) ? "the disk quota is used up"
        : output.Contains("Read-only file system", StringComparison.Ordinal) ? "the file system is read-only"
        : null;

    /// <summary>The apphost next to the built .dll (bin/Debug/net10.0/Name), falling back to the .dll.</summary>
    public static string ProgramPath(string projectPath)
    {
        var name = Path.GetFileNameWithoutExtension(projectPath);
        var output = Path.Combine(Path.GetDirectoryName(projectPath)!, "bin", "Debug", "net10.0");
        var apphost = Path.Combine(output, OperatingSystem.IsWindows() ? name + ".exe" : name);
        return File.Exists(apphost) ? apphost : Path.Combine(output, name + ".dll");
    }

    private static bool IsRestored(string projectPath)
    {
        var assets = Path.Combine(Path.GetDirectoryName(projectPath)!, "obj", "project.assets.json");
        return File.Exists(assets) && File.GetLastWriteTimeUtc(assets) >= File.GetLastWriteTimeUtc(projectPath);
    }

    /// <summary>True when the project's .dll is newer than every source file and the project file.</summary>
    private static bool IsBuilt(string projectPath)
    {
        var directory = Path.GetDirectoryName(projectPath)!;
        var output = Path.Combine(directory, "bin", "Debug", "net10.0", "Kata.Support.dll");
        if (!File.Exists(output))
        {
            return false;
        }
        var built = File.GetLastWriteTimeUtc(output);
        return Directory
            .EnumerateFiles(directory, "*", SearchOption.TopDirectoryOnly)
            .All(f => File.GetLastWriteTimeUtc(f) <= built);
    }

    internal static IReadOnlyList<string> Errors(string output, string workspaceRoot)
    {
        var root = Path.GetFullPath(workspaceRoot).TrimEnd(Path.DirectorySeparatorChar) + Path.DirectorySeparatorChar;
        var lines = output
            .Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .Where(l =>
                l.Contains(": error ", StringComparison.Ordinal) || l.StartsWith("error ", StringComparison.Ordinal)
            )
            .Select(l =>
            {
                var project = l.LastIndexOf(" [", StringComparison.Ordinal);
                var trimmed = project > 0 && l.EndsWith(']') ? l[..project] : l;
                return trimmed.Replace(root, "", StringComparison.Ordinal);
            })
            .Distinct()
            .ToList();
        return lines.Count > 0 ? lines : [output.Trim()];
    }
}
