using System.Diagnostics;
using System.Globalization;

namespace ConcurrencyKata.Course.Tests;

/// <summary>
/// kata as a process of its own (the built kata.dll through the dotnet host), for what only a whole
/// process shows: its exit code, a signal, another user, another TMPDIR. And what the scenarios'
/// sleepers leave behind (Scenarios/signal-sleepers and kill-the-verifier: `sleep 3187`, `sleep 3188`).
/// </summary>
internal static class KataProcess
{
    private static readonly string[] Sleepers = ["sleep\u00003187", "sleep\u00003188"];

    /// <param name="uid">Run kata as this user (and group), through setpriv; null: as this process's user.</param>
    public static Process Start(
        string directory,
        IReadOnlyDictionary<string, string>? environment,
        int? uid,
        params string[] arguments
    )
    {
        var start = new ProcessStartInfo(uid is null ? Harness.DotnetHost.Path : "/usr/bin/setpriv")
        {
            WorkingDirectory = directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (uid is { } id)
        {
            var text = id.ToString(CultureInfo.InvariantCulture);
            foreach (var argument in new[] { $"--reuid={text}", $"--regid={text}", "--clear-groups", "--" })
            {
                start.ArgumentList.Add(argument);
            }
            start.ArgumentList.Add(Harness.DotnetHost.Path);
        }
        start.ArgumentList.Add(typeof(KataApp).Assembly.Location);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        start.Environment[Catalog.Course.CourseDirectoryVariable] = Repository.CourseDirectory;
        start.Environment["NO_COLOR"] = "1";
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }
        return Process.Start(start)!;
    }

    public static async Task<(int Exit, string Output)> RunAsync(
        string directory,
        IReadOnlyDictionary<string, string>? environment,
        int? uid,
        params string[] arguments
    )
    {
        using var kata = Start(directory, environment, uid, arguments);
        var stdout = kata.StandardOutput.ReadToEndAsync();
        var stderr = kata.StandardError.ReadToEndAsync();
        await kata.WaitForExitAsync();
        return (kata.ExitCode, await stdout + await stderr);
    }

    /// <summary>Waits (up to 3 minutes) until both sleepers run.</summary>
    public static async Task WaitForSleepersAsync(Process kata)
    {
        var waited = Stopwatch.StartNew();
        while (SleeperPids().Count < 2 && !kata.HasExited && waited.Elapsed < TimeSpan.FromMinutes(3))
        {
            await Task.Delay(50);
        }
        Assert.That(SleeperPids(), Has.Count.EqualTo(2), "the program and its children were started");
    }

    public static void KillSleepers()
    {
        foreach (var pid in SleeperPids())
        {
            try
            {
                Process.GetProcessById(pid).Kill();
            }
            catch (ArgumentException) { }
        }
    }

    /// <summary>Within 2 s: no sleeper alive, no cgroup and no run folder of kata <paramref name="kataPid"/>.</summary>
    public static void AssertNothingLeftOf(int kataPid)
    {
        var prefix = $"kata-{kataPid.ToString(CultureInfo.InvariantCulture)}-";
        var runPrefix = $"kata-run-{kataPid.ToString(CultureInfo.InvariantCulture)}-";
        var clock = Stopwatch.StartNew();
        List<string> left;
        do
        {
            left =
            [
                .. SleeperPids().Select(p => $"process {p}"),
                .. CgroupsNamed(prefix),
                .. Directory.EnumerateDirectories(Path.GetTempPath(), runPrefix + "*"),
            ];
            if (left.Count == 0)
            {
                break;
            }
            Thread.Sleep(50);
        } while (clock.Elapsed < TimeSpan.FromSeconds(2));
        Assert.That(left, Is.Empty, "left behind 2 s after kata ended");
    }

    private static List<int> SleeperPids()
    {
        var pids = new List<int>();
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(directory), CultureInfo.InvariantCulture, out var pid))
            {
                continue;
            }
            try
            {
                var commandLine = File.ReadAllText(Path.Combine(directory, "cmdline")).TrimEnd('\0');
                var stat = File.ReadAllText(Path.Combine(directory, "stat"));
                if (Sleepers.Contains(commandLine) && !stat[(stat.LastIndexOf(')') + 2)..].StartsWith('Z'))
                {
                    pids.Add(pid);
                }
            }
            catch (IOException) { }
            catch (UnauthorizedAccessException) { }
        }
        return pids;
    }

    /// <summary>The cgroups (v1 and v2) whose names start with <paramref name="prefix"/>, a few levels deep.</summary>
    private static List<string> CgroupsNamed(string prefix)
    {
        var found = new List<string>();
        void Search(string directory, int depth)
        {
            try
            {
                foreach (var child in Directory.EnumerateDirectories(directory))
                {
                    if (Path.GetFileName(child).StartsWith(prefix, StringComparison.Ordinal))
                    {
                        found.Add(child);
                    }
                    else if (depth > 0)
                    {
                        Search(child, depth - 1);
                    }
                }
            }
            catch (IOException) { }
            catch (UnauthorizedAccessException) { }
        }
        if (Directory.Exists("/sys/fs/cgroup"))
        {
            Search("/sys/fs/cgroup", 4);
        }
        return found;
    }
}
