using ConcurrencyKata.Catalog;

namespace ConcurrencyKata.Workspace;

public sealed record ScaffoldResult(string Directory, IReadOnlyList<string> Written, IReadOnlyList<string> Kept);

/// <summary>Writes an exercise into a workspace. Never overwrites a file the learner may have changed.</summary>
public static class Scaffolder
{
    public static ScaffoldResult Scaffold(LearnerWorkspace workspace, Exercise exercise)
    {
        ArgumentNullException.ThrowIfNull(workspace);
        ArgumentNullException.ThrowIfNull(exercise);
        var directory = workspace.ExerciseDirectory(exercise);
        Directory.CreateDirectory(directory);
        var written = new List<string>();
        var kept = new List<string>();
        foreach (var (name, content) in Files(workspace, exercise))
        {
            var path = Path.Combine(directory, name);
            if (File.Exists(path))
            {
                kept.Add(name);
                continue;
            }
            SafeFile.Write(path, content);
            written.Add(name);
        }
        workspace.WriteSolution();
        return new ScaffoldResult(directory, written, kept);
    }

    /// <summary>Puts the exercise back to its stub. Every changed file is first copied to &lt;name&gt;.&lt;time&gt;.bak.</summary>
    /// <returns>The backups made; empty when nothing had changed.</returns>
    public static IReadOnlyList<string> Reset(LearnerWorkspace workspace, Exercise exercise, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(workspace);
        ArgumentNullException.ThrowIfNull(exercise);
        var directory = workspace.ExerciseDirectory(exercise);
        Directory.CreateDirectory(directory);
        var backups = new List<string>();
        foreach (var (name, content) in Files(workspace, exercise))
        {
            var path = Path.Combine(directory, name);
            if (File.Exists(path))
            {
                if (File.ReadAllBytes(path).AsSpan().SequenceEqual(content))
                {
                    continue;
                }
                backups.Add(SafeFile.Backup(path, now));
            }
            SafeFile.Write(path, content);
        }
        return backups;
    }

    public static string ProjectFile(LearnerWorkspace workspace, Exercise exercise)
    {
        ArgumentNullException.ThrowIfNull(workspace);
        ArgumentNullException.ThrowIfNull(exercise);
        var support = Path.GetRelativePath(workspace.ExerciseDirectory(exercise), workspace.SupportDirectory)
            .Replace('\\', '/');
        return $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <!-- Exercise {exercise.Number}: {exercise.Title}. Edit Program.cs; this file is the verifier's. -->
              <PropertyGroup>
                <OutputType>Exe</OutputType>
                <TargetFramework>net10.0</TargetFramework>
                <ImplicitUsings>enable</ImplicitUsings>
                <Nullable>enable</Nullable>
                <RootNamespace>{exercise.PascalName}</RootNamespace>
              </PropertyGroup>
              <ItemGroup>
                <ProjectReference Include="{support}/Kata.Support.csproj" />
                <Using Include="ConcurrencyKata.Support" />
              </ItemGroup>
            </Project>

            """;
    }

    private static IEnumerable<(string Name, byte[] Content)> Files(LearnerWorkspace workspace, Exercise exercise)
    {
        yield return (
            exercise.PascalName + ".csproj",
            System.Text.Encoding.UTF8.GetBytes(ProjectFile(workspace, exercise))
        );
        foreach (var file in Directory.EnumerateFiles(exercise.StubDirectory, "*", SearchOption.AllDirectories))
        {
            yield return (Path.GetRelativePath(exercise.StubDirectory, file), File.ReadAllBytes(file));
        }
        foreach (var readme in new[] { "README.md", "README.zh-CN.md" })
        {
            var path = Path.Combine(exercise.Directory, readme);
            if (File.Exists(path))
            {
                yield return (readme, File.ReadAllBytes(path));
            }
        }
    }
}
