namespace ConcurrencyKata.Workspace;

/// <summary>
/// The learner's own files, as they were before a program under verification ran: every file at the
/// top of each exercise folder (Program.cs, the project file, anything the learner added) and the
/// progress files in <c>.kata/</c>. Where kata is not root it cannot stop the program from writing
/// them, so afterwards it puts back any the program changed or deleted, and says which. (Build output
/// and the support library are not kept: the build and <see cref="LearnerWorkspace.RestoreSupport"/>
/// make those again.)
/// </summary>
public sealed class WorkspaceSnapshot
{
    private const long Largest = 4 << 20;
    private readonly string _root;
    private readonly Dictionary<string, byte[]> _files;

    private WorkspaceSnapshot(string root, Dictionary<string, byte[]> files)
    {
        _root = root;
        _files = files;
    }

    public static WorkspaceSnapshot Take(LearnerWorkspace workspace)
    {
        ArgumentNullException.ThrowIfNull(workspace);
        var files = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        foreach (var file in Candidates(workspace.Root))
        {
            try
            {
                if (new FileInfo(file).Length <= Largest)
                {
                    files[file] = File.ReadAllBytes(file);
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException) { }
        }
        return new WorkspaceSnapshot(workspace.Root, files);
    }

    /// <summary>
    /// Puts back every kept file that is now different or gone (written to a temporary name, then
    /// renamed) and lists, relative to the workspace, the files put back and the files added.
    /// </summary>
    public Changes Restore()
    {
        var restored = new List<string>();
        foreach (var (file, bytes) in _files)
        {
            byte[]? now;
            try
            {
                now = File.Exists(file) ? File.ReadAllBytes(file) : null;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                now = null;
            }
            if (now is not null && now.AsSpan().SequenceEqual(bytes))
            {
                continue;
            }
            SafeFile.Write(file, bytes);
            restored.Add(Relative(file));
        }
        var added = Candidates(_root).Where(f => !_files.ContainsKey(f)).Select(Relative).ToList();
        restored.Sort(StringComparer.Ordinal);
        added.Sort(StringComparer.Ordinal);
        return new Changes(restored, added);
    }

    private string Relative(string file) => Path.GetRelativePath(_root, file).Replace('\\', '/');

    private static IEnumerable<string> Candidates(string root)
    {
        var exercises = Path.Combine(root, "exercises");
        var folders = Directory.Exists(exercises) ? Directory.GetDirectories(exercises) : [];
        var marker = Path.Combine(root, LearnerWorkspace.MarkerDirectory);
        foreach (var folder in folders.Append(marker).Where(Directory.Exists))
        {
            foreach (var file in Directory.GetFiles(folder).Order(StringComparer.Ordinal))
            {
                if (!file.EndsWith(".tmp", StringComparison.Ordinal))
                {
                    yield return file;
                }
            }
        }
    }

    /// <param name="Restored">Files the program changed or deleted, now as they were.</param>
    /// <param name="Added">Files that appeared while the program ran (left where they are).</param>
    public sealed record Changes(IReadOnlyList<string> Restored, IReadOnlyList<string> Added)
    {
        public bool Any => Restored.Count > 0 || Added.Count > 0;
    }
}
