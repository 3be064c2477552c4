using ConcurrencyKata.Catalog;
using ConcurrencyKata.Verification;
using ConcurrencyKata.Workspace;

namespace ConcurrencyKata.Course.Tests;

/// <summary>A throwaway learner workspace holding one exercise with a chosen Program.cs, built like a learner's.</summary>
internal sealed class CourseWorkspace : IDisposable
{
    private static readonly Dictionary<string, CourseWorkspace> Shared = [];
    private readonly bool _shared;

    private CourseWorkspace(string root, LearnerWorkspace workspace, Exercise exercise, bool shared)
    {
        Root = root;
        Workspace = workspace;
        Exercise = exercise;
        _shared = shared;
    }

    public string Root { get; }
    public LearnerWorkspace Workspace { get; }
    public Exercise Exercise { get; }

    /// <summary>A workspace of its own, restored and built from scratch (for tests that change more than Program.cs).</summary>
    public static CourseWorkspace Create(Exercise exercise, string? programFile)
    {
        var workspace = New(exercise, shared: false);
        workspace.Use(programFile);
        return workspace;
    }

    /// <summary>
    /// The exercise's workspace shared by the course check: restored and its support library built
    /// once, so that each solution or fixture costs only the rebuild of its Program.cs, as a learner's
    /// edit does. Only Program.cs changes between uses; the course check runs one test at a time.
    /// </summary>
    public static CourseWorkspace Reuse(Exercise exercise, string? programFile)
    {
        if (!Shared.TryGetValue(exercise.Id, out var workspace))
        {
            workspace = New(exercise, shared: true);
            Shared[exercise.Id] = workspace;
        }
        workspace.Use(programFile);
        return workspace;
    }

    /// <summary>Deletes the shared workspaces (the course check's one-time tear-down).</summary>
    public static void DeleteShared()
    {
        foreach (var workspace in Shared.Values)
        {
            workspace.Delete();
        }
        Shared.Clear();
    }

    private static CourseWorkspace New(Exercise exercise, bool shared)
    {
        var root = Path.Combine(Path.GetTempPath(), "kata-course-" + Guid.NewGuid().ToString("N")[..8]);
        var workspace = LearnerWorkspace.Init(root, Repository.Course);
        Scaffolder.Scaffold(workspace, exercise);
        return new CourseWorkspace(root, workspace, exercise, shared);
    }

    private void Use(string? programFile)
    {
        var target = Workspace.ProgramPath(Exercise);
        var source = programFile ?? Path.Combine(Exercise.StubDirectory, "Program.cs");
        File.Copy(source, target, overwrite: true);
        // The copy keeps the source's time stamp; an incremental build must see the file as changed.
        File.SetLastWriteTimeUtc(target, DateTime.UtcNow);
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
        if (!_shared)
        {
            Delete();
        }
    }

    private void Delete()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException) { }
    }
}
