using CliWrap;
using CliWrap.Buffered;

namespace ConcurrencyKata.Course.Tests;

/// <summary>
/// The tool as users get it, made once per test run: packed (the three packages dotnet pack writes)
/// and installed into a tool path of its own. Removed when the run ends.
/// </summary>
internal sealed class PackedTool
{
    private static readonly SemaphoreSlim Gate = new(1, 1);
    private static PackedTool? _made;

    private PackedTool(string root, string version)
    {
        Root = root;
        Version = version;
    }

    public string Root { get; }
    public string Version { get; }
    public string Packages => Path.Combine(Root, "packages");
    public string ToolPath => Path.Combine(Root, "tools");
    public string Kata => Path.Combine(ToolPath, OperatingSystem.IsWindows() ? "kata.exe" : "kata");

    public static async Task<PackedTool> GetAsync(CancellationToken cancellation)
    {
        await Gate.WaitAsync(cancellation);
        try
        {
            return _made ??= await MakeAsync(cancellation);
        }
        finally
        {
            Gate.Release();
        }
    }

    public static void Remove()
    {
        if (_made is not null && Directory.Exists(_made.Root))
        {
            Directory.Delete(_made.Root, recursive: true);
        }
        _made = null;
    }

    private static async Task<PackedTool> MakeAsync(CancellationToken cancellation)
    {
        var root = Path.Combine(Path.GetTempPath(), "kata-packed-" + Guid.NewGuid().ToString("N")[..8]);
        var packages = Path.Combine(root, "packages");
        var project = Path.Combine(Repository.Root, "src", "ConcurrencyKata", "ConcurrencyKata.csproj");
        // --no-restore: the test build restored already, and a restore here could race other test projects' builds.
        await RunAsync(
            "dotnet",
            ["pack", project, "-c", "Release", "-o", packages, "--no-restore", "-nologo", "-v:q"],
            root,
            cancellation
        );
        var package = Directory
            .GetFiles(packages, "ConcurrencyKata.*.nupkg")
            .Select(Path.GetFileName)
            .Single(n => n is not null && char.IsAsciiDigit(n["ConcurrencyKata.".Length]))!;
        var version = Path.GetFileNameWithoutExtension(package)["ConcurrencyKata.".Length..];
        var tool = new PackedTool(root, version);
        await RunAsync(
            "dotnet",
            [
                "tool",
                "install",
                "ConcurrencyKata",
                "--tool-path",
                tool.ToolPath,
                "--add-source",
                packages,
                "--version",
                version,
            ],
            root,
            cancellation
        );
        return tool;
    }

    private static async Task RunAsync(
        string program,
        string[] arguments,
        string directory,
        CancellationToken cancellation
    )
    {
        Directory.CreateDirectory(directory);
        var result = await Cli.Wrap(program)
            .WithArguments(arguments)
            .WithWorkingDirectory(directory)
            .WithValidation(CommandResultValidation.None)
            .ExecuteBufferedAsync(cancellation);
        Assert.That(
            result.ExitCode,
            Is.EqualTo(0),
            () => $"{program} {string.Join(' ', arguments)}:\n{result.StandardOutput}{result.StandardError}"
        );
    }
}

/// <summary>Removes what the whole run shared once every test is done.</summary>
[SetUpFixture]
public sealed class CourseTestsRun
{
    [OneTimeTearDown]
    public void RemoveThePackedTool() => PackedTool.Remove();
}
