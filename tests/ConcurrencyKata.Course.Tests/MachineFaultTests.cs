using System.Diagnostics;
using ConcurrencyKata.Workspace;

namespace ConcurrencyKata.Course.Tests;

/// <summary>
/// A full disk and a full temporary folder are the machine's fault, not the learner's: kata says so in
/// one sentence with exit code 3, loses nothing and leaves no half-written file. The disk is a small
/// tmpfs, filled up, so these tests need root (mount); elsewhere they are skipped.
/// </summary>
[NonParallelizable, Category("Slow")]
public sealed class MachineFaultTests
{
    private string _root = null!;
    private string _disk = null!;

    [SetUp]
    public void Mount()
    {
        _root = Path.Combine(Path.GetTempPath(), "kata-fault-" + Guid.NewGuid().ToString("N")[..8]);
        _disk = Path.Combine(_root, "disk");
        Directory.CreateDirectory(_disk);
        var (exit, output) = Run("mount", "-t", "tmpfs", "-o", "size=16m", "tmpfs", _disk);
        Assume.That(exit, Is.EqualTo(0), $"skipped: cannot mount a small disk here ({output.Trim()})");
    }

    [TearDown]
    public void Unmount()
    {
        Run("umount", _disk);
        Directory.Delete(_root, recursive: true);
    }

    [Test, CancelAfter(300_000)]
    public async Task A_full_disk_is_said_in_one_sentence_and_loses_nothing()
    {
        var workspace = LearnerWorkspace.Init(Path.Combine(_disk, "ws"), Repository.Course);
        var exercise = Repository.Course.Find("sequential-download");
        Scaffolder.Scaffold(workspace, exercise);
        workspace.SaveState(workspace.LoadState() with { Current = exercise.Id });
        var program = workspace.ProgramPath(exercise);
        File.AppendAllText(program, "// the learner's work\n");
        var before = Snapshot(workspace.Root);
        Fill(_disk);

        var (exit, output) = await KataProcess.RunAsync(
            workspace.Root,
            null,
            null,
            "reset",
            exercise.Id,
            "--workspace",
            workspace.Root
        );

        Assert.That(exit, Is.EqualTo(3), output);
        Assert.That(output, Does.Contain("the disk is full").And.Contain("Nothing was lost"));
        Assert.That(output, Does.Not.Contain("   at "), "no stack trace");
        Assert.That(Snapshot(workspace.Root), Is.EqualTo(before), "every file as it was, none added");
    }

    [Test, CancelAfter(300_000)]
    public async Task A_full_temporary_folder_is_not_reported_as_a_build_error()
    {
        var workspace = LearnerWorkspace.Init(Path.Combine(_root, "ws"), Repository.Course);
        var exercise = Repository.Course.Find("sequential-download");
        Scaffolder.Scaffold(workspace, exercise);
        var temp = Path.Combine(_disk, "tmp");
        Directory.CreateDirectory(temp);
        Fill(_disk);

        var (exit, output) = await KataProcess.RunAsync(
            workspace.Root,
            new Dictionary<string, string> { ["TMPDIR"] = temp },
            null,
            "verify",
            exercise.Id,
            "--workspace",
            workspace.Root
        );

        Assert.That(exit, Is.EqualTo(3), output);
        Assert.That(output, Does.Contain($"The temporary folder {temp}").And.Contain("the disk is full"));
        Assert.That(output, Does.Not.Contain("Build failed").And.Not.Contain("   at "));
    }

    /// <summary>Every file under <paramref name="root"/> but build output, with its contents.</summary>
    private static Dictionary<string, string> Snapshot(string root) =>
        Directory
            .EnumerateFiles(root, "*", SearchOption.AllDirectories)
            .Where(f =>
                !f.Contains("/bin/", StringComparison.Ordinal) && !f.Contains("/obj/", StringComparison.Ordinal)
            )
            .ToDictionary(f => Path.GetRelativePath(root, f), File.ReadAllText);

    private static void Fill(string disk)
    {
        using var file = new FileStream(Path.Combine(disk, "fill"), FileMode.Create);
        var block = new byte[1 << 16];
        try
        {
            while (true)
            {
                file.Write(block);
            }
        }
        catch (IOException) { }
    }

    private static (int Exit, string Output) Run(string program, params string[] arguments)
    {
        try
        {
            using var process = Process.Start(
                new ProcessStartInfo(program, arguments) { RedirectStandardError = true, RedirectStandardOutput = true }
            )!;
            var output = process.StandardOutput.ReadToEnd() + process.StandardError.ReadToEnd();
            process.WaitForExit();
            return (process.ExitCode, output);
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            return (-1, e.Message);
        }
    }
}
