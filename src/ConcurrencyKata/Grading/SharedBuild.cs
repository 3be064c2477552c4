using ConcurrencyKata.Catalog;
using ConcurrencyKata.Workspace;

namespace ConcurrencyKata.Grading;

/// <summary>What every isolated copy reuses of the one build made before grading starts.</summary>
public static class SharedBuild
{
    /// <summary>
    /// The template's restore output and support library build, copied after the sources so they are
    /// newer: the copy's build then skips the restore and the support library and compiles only the learner's program.
    /// </summary>
    public static void CopyInto(LearnerWorkspace template, LearnerWorkspace copy, IEnumerable<Exercise> exercises)
    {
        ArgumentNullException.ThrowIfNull(template);
        ArgumentNullException.ThrowIfNull(copy);
        ArgumentNullException.ThrowIfNull(exercises);
        foreach (var folder in new[] { "obj", "bin" })
        {
            CopyFiles(
                Path.Combine(template.SupportDirectory, folder),
                Path.Combine(copy.SupportDirectory, folder),
                SearchOption.AllDirectories,
                _ => true
            );
        }
        foreach (var exercise in exercises)
        {
            CopyFiles(
                Path.Combine(template.ExerciseDirectory(exercise), "obj"),
                Path.Combine(copy.ExerciseDirectory(exercise), "obj"),
                SearchOption.TopDirectoryOnly,
                name =>
                    name is "project.assets.json" or "project.nuget.cache"
                    || name.Contains(".nuget.", StringComparison.Ordinal)
            );
        }
    }

    private static void CopyFiles(string source, string target, SearchOption search, Func<string, bool> include)
    {
        if (!Directory.Exists(source))
        {
            return;
        }
        var now = DateTime.UtcNow;
        foreach (var file in Directory.EnumerateFiles(source, "*", search).Where(f => include(Path.GetFileName(f))))
        {
            var destination = Path.Combine(target, Path.GetRelativePath(source, file));
            Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
            File.Copy(file, destination, overwrite: true);
            File.SetLastWriteTimeUtc(destination, now);
        }
    }
}
