using ConcurrencyKata.Harness;

namespace ConcurrencyKata.Harness.Tests;

/// <summary>The Dummy program (tests/Dummy), copied next to the tests by the build.</summary>
internal static class Dummy
{
    public static string Folder => Path.Combine(AppContext.BaseDirectory, "dummy");

    /// <summary>The native launcher, run directly the way the verifier runs a learner's program.</summary>
    public static string AppHost => Path.Combine(Folder, OperatingSystem.IsWindows() ? "Dummy.exe" : "Dummy");

    /// <summary>The framework-dependent assembly, run as <c>dotnet Dummy.dll</c>.</summary>
    public static string Dll => Path.Combine(Folder, "Dummy.dll");

    /// <summary>A run of the Dummy in <paramref name="mode"/>, with a time limit short enough for a test.</summary>
    public static RunRequest Request(string mode, params string[] arguments) =>
        new RunRequest(AppHost) { Arguments = [mode, .. arguments], TimeLimit = TimeSpan.FromSeconds(10) };

    /// <summary>The pids the Dummy printed as "child &lt;pid&gt;".</summary>
    public static IReadOnlyList<int> ChildPids(RunRecord run) =>
        [
            .. run
                .Stdout.Where(l => l.Text.StartsWith("child ", StringComparison.Ordinal))
                .Select(l => int.Parse(l.Text[6..], System.Globalization.CultureInfo.InvariantCulture)),
        ];
}
