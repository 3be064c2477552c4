using CliWrap;
using CliWrap.Buffered;

namespace ConcurrencyKata.Course.Tests;

/// <summary>The tool as a learner gets it: packed, installed into a tool path, run in an empty folder.</summary>
[NonParallelizable]
public sealed class PackageTests
{
    private string _temp = null!;

    [SetUp]
    public void Create()
    {
        _temp = Path.Combine(Path.GetTempPath(), "kata-package-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(_temp);
    }

    [TearDown]
    public void Clean() => Directory.Delete(_temp, recursive: true);

    [Test, CancelAfter(600_000)]
    public async Task The_packed_tool_installs_and_takes_a_learner_from_next_to_a_failing_verify(
        CancellationToken cancellation
    )
    {
        var workspace = Path.Combine(_temp, "my-kata");
        Directory.CreateDirectory(workspace);
        var packed = await PackedTool.GetAsync(cancellation);
        var (packages, tools, version) = (packed.Packages, packed.ToolPath, packed.Version);
        // The package users install names two others: the linux-x64 one (precompiled) and the plain "any" one.
        Assert.That(
            Directory.GetFiles(packages, "*.nupkg").Select(Path.GetFileName),
            Is.EquivalentTo(new[] { "", ".linux-x64", ".any" }.Select(rid => $"ConcurrencyKata{rid}.{version}.nupkg"))
        );
        var kata = Path.Combine(tools, OperatingSystem.IsWindows() ? "kata.exe" : "kata");

        var help = await Run(kata, ["--help"], workspace, 0, cancellation);
        Assert.That(help, Does.Contain("next").And.Contain("verify").And.Contain("hint").And.Contain("reset"));

        var next = await Run(kata, ["next"], workspace, 0, cancellation);
        Assert.That(next, Does.Contain("Exercise 1"));
        Assert.That(File.Exists(Path.Combine(workspace, "exercises", "01-sequential-download", "Program.cs")), Is.True);
        Assert.That(Directory.Exists(Path.Combine(tools, ".store")), Is.True);
        var installed = Directory
            .GetDirectories(Path.Combine(tools, ".store", "concurrencykata", version))
            .Select(Path.GetFileName)
            .ToList();
        var expected =
            System.Runtime.InteropServices.RuntimeInformation.RuntimeIdentifier == "linux-x64"
                ? "concurrencykata.linux-x64"
                : "concurrencykata.any";
        Assert.That(installed, Does.Contain(expected), "the install picks the package made for this platform");
        Assert.That(
            Directory.GetDirectories(Path.Combine(tools, ".store"), ".meta", SearchOption.AllDirectories),
            Is.Empty,
            "reference solutions do not ship to learners"
        );

        var verify = await Run(kata, ["verify"], workspace, 1, cancellation);
        Assert.That(verify, Does.Contain("✗").And.Contain("Expected:"));
    }

    private static async Task<string> Run(
        string program,
        string[] arguments,
        string directory,
        int expectedExit,
        CancellationToken cancellation
    )
    {
        var result = await Cli.Wrap(program)
            .WithArguments(arguments)
            .WithWorkingDirectory(directory)
            .WithEnvironmentVariables(e => e.Set("NO_COLOR", "1"))
            .WithValidation(CommandResultValidation.None)
            .ExecuteBufferedAsync(cancellation);
        var output = result.StandardOutput + result.StandardError;
        Assert.That(
            result.ExitCode,
            Is.EqualTo(expectedExit),
            () => $"{program} {string.Join(' ', arguments)}:\n{output}"
        );
        return output;
    }
}
