using System.Globalization;

namespace ConcurrencyKata.Harness.Tests;

/// <summary>An independent look at /proc, so the tests do not trust the code they test.</summary>
internal static class Proc
{
    public readonly record struct ProcessStat(int Pid, char State, int ParentPid, int Session, long StartTicks);

    public static ProcessStat? Stat(int pid)
    {
        string text;
        try
        {
            text = File.ReadAllText($"/proc/{pid}/stat");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
        var fields = text[(text.LastIndexOf(')') + 2)..].Split(' ');
        return new ProcessStat(
            pid,
            fields[0][0],
            int.Parse(fields[1], CultureInfo.InvariantCulture),
            int.Parse(fields[3], CultureInfo.InvariantCulture),
            long.Parse(fields[19], CultureInfo.InvariantCulture)
        );
    }

    public static IEnumerable<int> Pids() =>
        Directory
            .EnumerateDirectories("/proc")
            .Select(Path.GetFileName)
            .Where(name => name!.All(char.IsAsciiDigit))
            .Select(name => int.Parse(name!, CultureInfo.InvariantCulture));

    public static IEnumerable<int> PidsWithMarker(string marker)
    {
        var entry = $"KATA_RUN_MARKER={marker}";
        foreach (var pid in Pids())
        {
            string environment;
            try
            {
                environment = File.ReadAllText($"/proc/{pid}/environ");
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                continue;
            }
            if (pid != Environment.ProcessId && environment.Split('\0').Contains(entry))
            {
                yield return pid;
            }
        }
    }

    public static IEnumerable<int> ZombieChildrenOfThisProcess() =>
        Pids().Where(pid => Stat(pid) is { State: 'Z' } stat && stat.ParentPid == Environment.ProcessId);

    public static bool IsAlive(int pid) => Stat(pid) is { State: not 'Z' and not 'X' };
}
