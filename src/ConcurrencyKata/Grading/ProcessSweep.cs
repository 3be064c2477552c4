using System.Diagnostics;

namespace ConcurrencyKata.Grading;

/// <summary>Finds and kills every process whose environment carries a marker: what is left of a submission once it was stopped.</summary>
public static class ProcessSweep
{
    /// <returns>The pids that were killed.</returns>
    public static IReadOnlyList<int> KillCarrying(string entry, TimeSpan limit)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var killed = new List<int>();
        if (!OperatingSystem.IsLinux() || !Directory.Exists("/proc"))
        {
            return killed;
        }
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < limit)
        {
            var carriers = Carrying(entry);
            if (carriers.Count == 0)
            {
                break;
            }
            foreach (var pid in carriers)
            {
                try
                {
                    using var process = Process.GetProcessById(pid);
                    process.Kill();
                    killed.Add(pid);
                }
                catch (ArgumentException) { } // already gone
                catch (InvalidOperationException) { }
                catch (System.ComponentModel.Win32Exception) { }
            }
            Thread.Sleep(20);
        }
        return killed;
    }

    /// <summary>Live processes (zombies aside) other than this one whose environment holds <paramref name="entry"/> (NAME=value).</summary>
    public static IReadOnlyList<int> Carrying(string entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var pids = new List<int>();
        if (!OperatingSystem.IsLinux() || !Directory.Exists("/proc"))
        {
            return pids;
        }
        var self = Environment.ProcessId;
        var wanted = System.Text.Encoding.UTF8.GetBytes(entry);
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(directory), out var pid) || pid == self)
            {
                continue;
            }
            try
            {
                if (IsZombie(directory))
                {
                    continue;
                }
                var environment = File.ReadAllBytes(Path.Combine(directory, "environ"));
                if (Holds(environment, wanted))
                {
                    pids.Add(pid);
                }
            }
            catch (IOException) { }
            catch (UnauthorizedAccessException) { }
        }
        return pids;
    }

    private static bool IsZombie(string directory)
    {
        var stat = File.ReadAllText(Path.Combine(directory, "stat"));
        var end = stat.LastIndexOf(')');
        return end > 0 && end + 2 < stat.Length && stat[end + 2] is 'Z' or 'X';
    }

    private static bool Holds(ReadOnlySpan<byte> environment, ReadOnlySpan<byte> entry)
    {
        foreach (var range in environment.Split((byte)0))
        {
            if (environment[range].SequenceEqual(entry))
            {
                return true;
            }
        }
        return false;
    }
}
