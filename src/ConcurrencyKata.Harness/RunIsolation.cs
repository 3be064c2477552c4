using System.Globalization;

namespace ConcurrencyKata.Harness;

/// <summary>
/// Where this process is root (CI usually runs as root), a program under verification runs as an
/// unprivileged user of its own: a user id no account has, drawn at random for each run, without
/// supplementary groups and without the right to gain privileges (<c>setpriv</c>). It runs from a
/// copy of its build output in a fresh run folder; its working folder, HOME and TMPDIR are a folder
/// in there that it owns. Everything else the verifier, the tool, the course and the learner's
/// workspace own is root's and closed to it: it can neither signal the verifier nor write their
/// files, nor signal another run (which has another user id). The run folder is deleted afterwards,
/// and the guardian deletes it should this process die first.
/// </summary>
internal sealed class RunIsolation : IDisposable
{
    private const string SetprivPath = "/usr/bin/setpriv";
    private const int FirstUid = 1_000_000_000;

    private static readonly Lazy<string?> Missing = new(() =>
        !Native.IsRoot ? "the verifier does not run as root, so it cannot run programs as another user"
        : !File.Exists(SetprivPath) ? $"{SetprivPath} (util-linux) is not installed"
        : null
    );

    private readonly IDisposable _guarded;

    private RunIsolation(string root, string program, string work, int uid)
    {
        Root = root;
        ProgramPath = program;
        WorkingDirectory = work;
        Uid = uid;
        _guarded = Guardian.Folder(root);
    }

    /// <summary>Why programs cannot be isolated here; null when they can.</summary>
    public static string? Unavailable => Missing.Value;

    public string Root { get; }

    /// <summary>The copy of the program to run.</summary>
    public string ProgramPath { get; }

    /// <summary>The one folder the program may write: its working folder, HOME and TMPDIR.</summary>
    public string WorkingDirectory { get; }

    public int Uid { get; }

    /// <summary>"uid 1234567890, run folder /tmp/kata-run-…"</summary>
    public string Describe() =>
        string.Create(CultureInfo.InvariantCulture, $"uid {Uid} (no groups, no new privileges), run folder {Root}");

    /// <summary>The command that changes to the run's user and then execs <paramref name="target"/>.</summary>
    public IEnumerable<string> Prefix()
    {
        var id = Uid.ToString(CultureInfo.InvariantCulture);
        return [SetprivPath, $"--reuid={id}", $"--regid={id}", "--clear-groups", "--no-new-privs", "--"];
    }

    /// <summary>Makes the run folder and copies the program's build output into it.</summary>
    /// <exception cref="IOException">The run folder cannot be made (disk full, TMPDIR missing).</exception>
    public static RunIsolation Create(string programPath, string marker)
    {
        if (!OperatingSystem.IsLinux())
        {
            throw new PlatformNotSupportedException("Programs are isolated on Linux only.");
        }
        var uid = FirstUid + Random.Shared.Next(1 << 24);
        var root = Path.Combine(
            Path.GetTempPath(),
            $"kata-run-{Environment.ProcessId.ToString(CultureInfo.InvariantCulture)}-{marker}"
        );
        const UnixFileMode open =
            UnixFileMode.UserRead
            | UnixFileMode.UserWrite
            | UnixFileMode.UserExecute
            | UnixFileMode.GroupRead
            | UnixFileMode.GroupExecute
            | UnixFileMode.OtherRead
            | UnixFileMode.OtherExecute;
        Directory.CreateDirectory(root, open);
        try
        {
            var source = Path.GetDirectoryName(Path.GetFullPath(programPath))!;
            var app = Path.Combine(root, "app");
            Copy(source, app, open);
            var work = Path.Combine(root, "work");
            Directory.CreateDirectory(work, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            if (!Native.TryChown(work, uid, uid))
            {
                throw new IOException($"cannot give the run folder {work} to uid {uid}");
            }
            return new RunIsolation(root, Path.Combine(app, Path.GetFileName(programPath)), work, uid);
        }
        catch
        {
            DeleteQuietly(root);
            throw;
        }
    }

    public void Dispose()
    {
        DeleteQuietly(Root);
        _guarded.Dispose();
    }

    [System.Runtime.Versioning.SupportedOSPlatform("linux")]
    private static void Copy(string source, string target, UnixFileMode folderMode)
    {
        Directory.CreateDirectory(target, folderMode);
        foreach (var file in Directory.EnumerateFiles(source))
        {
            var copy = Path.Combine(target, Path.GetFileName(file));
            File.Copy(file, copy);
            // Readable by all whatever the learner's umask; the apphost stays executable.
            var executable = (File.GetUnixFileMode(file) & UnixFileMode.UserExecute) != 0;
            File.SetUnixFileMode(
                copy,
                executable
                    ? folderMode
                    : folderMode & ~(UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute)
            );
        }
        foreach (var folder in Directory.EnumerateDirectories(source))
        {
            Copy(folder, Path.Combine(target, Path.GetFileName(folder)), folderMode);
        }
    }

    private static void DeleteQuietly(string path)
    {
        try
        {
            Directory.Delete(path, recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { }
    }
}
