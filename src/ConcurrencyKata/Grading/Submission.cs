using System.Globalization;
using ConcurrencyKata.Catalog;
using ConcurrencyKata.Workspace;

namespace ConcurrencyKata.Grading;

/// <summary>
/// One student's folder in the submissions folder: a kata workspace, or a clone of a repository with
/// one in it. Only the learner's Program.cs files are ever taken from it.
/// </summary>
public sealed record Submission(string Student, string Directory)
{
    /// <summary>A Program.cs larger than this is not copied (a learner's program is a few kilobytes).</summary>
    public const long ProgramSizeLimit = 1 << 20;

    private const int SearchDepth = 3;

    /// <summary>Every sub-folder of <paramref name="folder"/>, by name; hidden folders and <paramref name="except"/> left out.</summary>
    public static IReadOnlyList<Submission> List(string folder, string? except = null)
    {
        if (File.Exists(folder))
        {
            throw new KataException(
                $"{folder} is a file; kata grade takes a folder with one sub-folder per student "
                    + "(e.g. kata grade submissions, where submissions/alice is alice's workspace).",
                ExitCodes.Usage
            );
        }
        if (!System.IO.Directory.Exists(folder))
        {
            throw new KataException($"The submissions folder {folder} does not exist.", ExitCodes.Usage);
        }
        var skip = except is null ? null : Path.GetFullPath(except).TrimEnd(Path.DirectorySeparatorChar);
        return
        [
            .. new DirectoryInfo(folder)
                .EnumerateDirectories()
                .Where(d => !d.Name.StartsWith('.') && d.LinkTarget is null)
                .Where(d =>
                    !string.Equals(d.FullName.TrimEnd(Path.DirectorySeparatorChar), skip, StringComparison.Ordinal)
                )
                .Select(d => new Submission(d.Name, d.FullName))
                .OrderBy(s => s.Student, StringComparer.Ordinal),
        ];
    }

    /// <summary>The folder holding exercises/NN-id/: the submission itself or the shallowest folder below it (symbolic links not followed).</summary>
    public string? WorkspaceRoot(Course course)
    {
        ArgumentNullException.ThrowIfNull(course);
        var level = new List<DirectoryInfo> { new(Directory) };
        for (var depth = 0; depth <= SearchDepth && level.Count > 0; depth++)
        {
            var found = level.Where(d => HasExercises(d, course)).OrderBy(d => d.FullName, StringComparer.Ordinal);
            if (found.FirstOrDefault() is { } root)
            {
                return root.FullName;
            }
            level =
            [
                .. level.SelectMany(d =>
                    d.EnumerateDirectories()
                        .Where(c => c.LinkTarget is null && c.Name is not ("bin" or "obj" or ".git"))
                ),
            ];
        }
        return null;
    }

    private static bool HasExercises(DirectoryInfo directory, Course course) =>
        Present(directory.FullName, course).Count > 0;

    /// <summary>
    /// The exercises whose Program.cs the submission has, those reached through a symbolic link
    /// included: <see cref="CopyPrograms"/> refuses them, so the refusal shows in the gradebook.
    /// </summary>
    public static IReadOnlyList<Exercise> Present(string workspaceRoot, Course course)
    {
        ArgumentNullException.ThrowIfNull(course);
        return [.. course.Exercises.Where(e => File.Exists(ProgramPath(workspaceRoot, e)))];
    }

    /// <summary>
    /// Why the exercise's Program.cs is not the submission's own: exercises/, exercises/NN-id/ or
    /// Program.cs is a symbolic link (which could lead to another student's or the teacher's code). Null when none is.
    /// </summary>
    public static string? LinkProblem(string workspaceRoot, Exercise exercise)
    {
        ArgumentNullException.ThrowIfNull(exercise);
        var exercises = Path.Combine(workspaceRoot, "exercises");
        var folder = Path.Combine(exercises, exercise.Slug);
        if (new DirectoryInfo(exercises).LinkTarget is not null)
        {
            return "exercises is a symbolic link; only the submission's own folders are graded.";
        }
        if (new DirectoryInfo(folder).LinkTarget is not null)
        {
            return $"exercises/{exercise.Slug} is a symbolic link; only the submission's own folders are graded.";
        }
        return new FileInfo(ProgramPath(workspaceRoot, exercise)).LinkTarget is not null
            ? "Program.cs is a symbolic link; only a regular file is graded."
            : null;
    }

    public static string ProgramPath(string workspaceRoot, Exercise exercise)
    {
        ArgumentNullException.ThrowIfNull(exercise);
        return Path.Combine(workspaceRoot, "exercises", exercise.Slug, "Program.cs");
    }

    /// <summary>
    /// A fresh workspace holding only the learner's programs: project files, support library and
    /// everything else come from the course, so tampering anywhere else in the submission cannot matter.
    /// </summary>
    /// <returns>Why each exercise that could not be copied was not (a link on the way, too large).</returns>
    public static IReadOnlyDictionary<Exercise, string> CopyPrograms(
        string workspaceRoot,
        LearnerWorkspace copy,
        IEnumerable<Exercise> exercises
    )
    {
        ArgumentNullException.ThrowIfNull(copy);
        var problems = new Dictionary<Exercise, string>();
        foreach (var exercise in exercises)
        {
            if (LinkProblem(workspaceRoot, exercise) is { } link)
            {
                problems[exercise] = link;
                continue;
            }
            var source = new FileInfo(ProgramPath(workspaceRoot, exercise));
            if (source.Length > ProgramSizeLimit)
            {
                problems[exercise] = string.Create(
                    CultureInfo.InvariantCulture,
                    $"Program.cs is larger than {ProgramSizeLimit / 1024} KiB."
                );
                continue;
            }
            Scaffolder.Scaffold(copy, exercise);
            var target = copy.ProgramPath(exercise);
            File.Copy(source.FullName, target, overwrite: true);
            // Newer than anything built from the stub, so no incremental build can skip it.
            File.SetLastWriteTimeUtc(target, DateTime.UtcNow);
        }
        return problems;
    }
}
