using ConcurrencyKata.Catalog;
using ConcurrencyKata.Verification;
using ConcurrencyKata.Workspace;

namespace ConcurrencyKata.Course.Tests;

/// <summary>A throwaway learner workspace holding one exercise with a chosen Program.cs, built like a learner's.</summary>
internal sealed class CourseWorkspace : IDisposable
{
    private CourseWorkspace(string root, LearnerWorkspace workspace, Exercise exercise)
    {
        Root = root;
        Workspace = workspace;
        Exercise = exercise;
    }

    public string Root { get; }
    public LearnerWorkspace Workspace { get; }
    public Exercise Exercise { get; }

    public static CourseWorkspace Create(Exercise exercise, string? programFile)
    {
        var root = Path.Combine(Path.GetTempPath(), "kata-course-" + Guid.NewGuid().ToString("N")[..8]);
        var workspace = LearnerWorkspace.Init(root, Repository.Course);
        Scaffolder.Scaffold(workspace, exercise);
        if (programFile is not null)
        {
            File.Copy(programFile, workspace.ProgramPath(exercise), overwrite: true);
        }
        return new CourseWorkspace(root, workspace, exercise);
    }

    public async Task<BuildResult> BuildAsync()
    {
        var build = await new DotnetProjectBuilder().BuildAsync(
            Workspace.ProjectPath(Exercise),
            Workspace.Root,
            new BuildOptions(UseBuildServers: false),
            CancellationToken.None
        );
        Assert.That(build.Succeeded, Is.True, () => "Build failed:\n" + string.Join('\n', build.Errors));
        return build;
    }

    public static SpecRun Verify(Exercise exercise, BuildResult build, int run) =>
        new NUnitSpecRunner().Run(exercise.Id, build.ProgramPath, $"course-{run}-{Guid.NewGuid():N}");

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException) { }
    }
}
