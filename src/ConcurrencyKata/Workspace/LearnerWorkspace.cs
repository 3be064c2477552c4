using ConcurrencyKata.Catalog;

namespace ConcurrencyKata.Workspace;

/// <summary>
/// A learner's folder: exercises/NN-id/ projects, the verifier's support library in .kata/support,
/// the progress file .kata/state.json, and build settings that shield the projects from any
/// repository the folder happens to sit in.
/// </summary>
public sealed class LearnerWorkspace
{
    public const string MarkerDirectory = ".kata";
    private const string ShieldProps =
        "<Project>\n  <!-- Keeps the exercises independent of any build settings in folders above. -->\n</Project>\n";

    private const string EditorConfig = """
        root = true

        [*]
        charset = utf-8
        end_of_line = lf
        insert_final_newline = true
        trim_trailing_whitespace = true

        [*.cs]
        indent_style = space
        indent_size = 4
        csharp_style_namespace_declarations = file_scoped:suggestion
        csharp_prefer_braces = true:suggestion
        dotnet_style_readonly_field = true:suggestion

        [*.{csproj,props,targets,slnx,json}]
        indent_style = space
        indent_size = 2

        [*.md]
        trim_trailing_whitespace = false

        """;

    private LearnerWorkspace(string root) => Root = Path.GetFullPath(root);

    public string Root { get; }
    public string StatePath => Path.Combine(Root, MarkerDirectory, "state.json");
    public string SupportDirectory => Path.Combine(Root, MarkerDirectory, "support");
    public string ExercisesDirectory => Path.Combine(Root, "exercises");

    /// <summary>The workspace containing <paramref name="directory"/> (searching upwards), or null.</summary>
    public static LearnerWorkspace? Find(string directory)
    {
        for (var dir = new DirectoryInfo(Path.GetFullPath(directory)); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, MarkerDirectory, "state.json")))
            {
                return new LearnerWorkspace(dir.FullName);
            }
        }
        return null;
    }

    /// <summary>The workspace for a command: --workspace DIR if given, otherwise the one around the current directory.</summary>
    public static LearnerWorkspace Open(string? option)
    {
        var start = option ?? Directory.GetCurrentDirectory();
        if (option is not null && !Directory.Exists(option))
        {
            throw new KataException($"The workspace folder {option} does not exist.", ExitCodes.Usage);
        }
        return Find(start)
            ?? throw new KataException(
                $"{Path.GetFullPath(start)} is not a kata workspace. Run 'kata next' (or 'kata init') in an empty folder to start one.",
                ExitCodes.Usage
            );
    }

    /// <summary>Creates (or completes) a workspace in <paramref name="directory"/>. Existing files are left alone.</summary>
    public static LearnerWorkspace Init(string directory, Course course)
    {
        Directory.CreateDirectory(directory);
        var workspace = new LearnerWorkspace(directory);
        Directory.CreateDirectory(Path.Combine(workspace.Root, MarkerDirectory));
        Directory.CreateDirectory(workspace.ExercisesDirectory);
        WriteIfMissing(Path.Combine(workspace.Root, "Directory.Build.props"), ShieldProps);
        WriteIfMissing(Path.Combine(workspace.Root, "Directory.Build.targets"), ShieldProps);
        WriteIfMissing(Path.Combine(workspace.Root, "Directory.Packages.props"), ShieldProps);
        WriteIfMissing(Path.Combine(workspace.Root, ".gitignore"), "bin/\nobj/\n*.bak\n");
        WriteIfMissing(Path.Combine(workspace.Root, ".editorconfig"), EditorConfig);
        if (!File.Exists(workspace.StatePath))
        {
            new WorkspaceState().Write(workspace.StatePath);
        }
        workspace.RestoreSupport(course);
        workspace.WriteSolution();
        return workspace;
    }

    /// <summary>The solution at the root that an IDE opens (and <c>dotnet build</c> builds): every exercise present and the support library.</summary>
    public string SolutionPath => Path.Combine(Root, SolutionName);

    public const string SolutionName = "kata.slnx";

    /// <summary>Writes <see cref="SolutionPath"/> listing the exercises present, when that changes it.</summary>
    public void WriteSolution()
    {
        var projects = Directory.Exists(ExercisesDirectory)
            ? Directory
                .EnumerateDirectories(ExercisesDirectory)
                .SelectMany(dir => Directory.EnumerateFiles(dir, "*.csproj"))
                .Select(file => Path.GetRelativePath(Root, file).Replace('\\', '/'))
                .Order(StringComparer.Ordinal)
                .ToList()
            : [];
        var text = new System.Text.StringBuilder("<Solution>\n  <Folder Name=\"/exercises/\">\n");
        foreach (var project in projects)
        {
            text.Append("    <Project Path=\"")
                .Append(System.Security.SecurityElement.Escape(project))
                .Append("\" />\n");
        }
        text.Append(
            "  </Folder>\n  <Folder Name=\"/support/\">\n    <Project Path=\".kata/support/Kata.Support.csproj\" />\n  </Folder>\n</Solution>\n"
        );
        var bytes = System.Text.Encoding.UTF8.GetBytes(text.ToString());
        if (!File.Exists(SolutionPath) || !File.ReadAllBytes(SolutionPath).AsSpan().SequenceEqual(bytes))
        {
            SafeFile.Write(SolutionPath, bytes);
        }
    }

    public WorkspaceState LoadState() => WorkspaceState.Read(StatePath);

    /// <summary>The exercise the progress file names as current.</summary>
    public Exercise CurrentExercise(Course course)
    {
        ArgumentNullException.ThrowIfNull(course);
        var current = LoadState().Current;
        return current is null
            ? throw new KataException("There is no current exercise yet. Run 'kata next' to get one.", ExitCodes.Usage)
            : course.Find(current);
    }

    /// <summary>
    /// The exercise a command means when none is named: the one whose folder <paramref name="directory"/>
    /// is in (the learner's habit: cd into it, then verify), otherwise the current one.
    /// </summary>
    public Exercise ExerciseHere(Course course, string directory)
    {
        ArgumentNullException.ThrowIfNull(course);
        var relative = Path.GetRelativePath(ExercisesDirectory, Path.GetFullPath(directory));
        if (!relative.StartsWith("..", StringComparison.Ordinal) && !Path.IsPathRooted(relative) && relative != ".")
        {
            var slug = relative.Split(Path.DirectorySeparatorChar)[0];
            if (course.Exercises.FirstOrDefault(e => e.Slug == slug) is { } here)
            {
                return here;
            }
        }
        return CurrentExercise(course);
    }

    public void SaveState(WorkspaceState state) => state.Write(StatePath);

    public string ExerciseDirectory(Exercise exercise) => Path.Combine(ExercisesDirectory, exercise.Slug);

    public string ProgramPath(Exercise exercise) => Path.Combine(ExerciseDirectory(exercise), "Program.cs");

    public string ProjectPath(Exercise exercise) =>
        Path.Combine(ExerciseDirectory(exercise), exercise.PascalName + ".csproj");

    public bool IsPresent(Exercise exercise) => File.Exists(ProjectPath(exercise));

    /// <summary>Makes .kata/support an exact copy of the course's support library (bin/ and obj/ aside).</summary>
    /// <returns>True when something had to be restored.</returns>
    public bool RestoreSupport(Course course)
    {
        ArgumentNullException.ThrowIfNull(course);
        Directory.CreateDirectory(SupportDirectory);
        var changed = false;
        var pristine = Directory
            .EnumerateFiles(course.SupportDirectory, "*", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(course.SupportDirectory, f))
            .Where(f => !IsBuildOutput(f))
            .ToHashSet(StringComparer.Ordinal);
        foreach (var relative in pristine)
        {
            var source = Path.Combine(course.SupportDirectory, relative);
            var target = Path.Combine(SupportDirectory, relative);
            if (!File.Exists(target) || !File.ReadAllBytes(target).AsSpan().SequenceEqual(File.ReadAllBytes(source)))
            {
                SafeFile.Write(target, File.ReadAllBytes(source));
                // A fresh timestamp makes the next build recompile it: a copy may keep the source's older
                // time, and an incremental build would then keep a binary built from a tampered copy.
                File.SetLastWriteTimeUtc(target, DateTime.UtcNow);
                changed = true;
            }
        }
        foreach (var file in Directory.EnumerateFiles(SupportDirectory, "*", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(SupportDirectory, file);
            if (!IsBuildOutput(relative) && !pristine.Contains(relative))
            {
                File.Delete(file);
                changed = true;
            }
        }
        return changed;
    }

    private static bool IsBuildOutput(string relative) =>
        relative.StartsWith("bin" + Path.DirectorySeparatorChar, StringComparison.Ordinal)
        || relative.StartsWith("obj" + Path.DirectorySeparatorChar, StringComparison.Ordinal);

    private static void WriteIfMissing(string path, string content)
    {
        if (!File.Exists(path))
        {
            SafeFile.WriteText(path, content);
        }
    }
}
