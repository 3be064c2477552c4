using System.Globalization;
using System.Text;

namespace ConcurrencyKata.Harness;

/// <summary>One reading of /proc/&lt;pid&gt;/stat (or a task's stat).</summary>
internal readonly record struct ProcStat(
    int Pid,
    string Comm,
    char State,
    int ParentPid,
    int ProcessGroup,
    int Session,
    long CpuTicks,
    long StartTicks
)
{
    public bool IsZombie => State is 'Z' or 'X';
}

/// <summary>Reads the few /proc files the harness needs. Every method tolerates a process that vanished meanwhile.</summary>
internal static class ProcFs
{
    public static bool Available { get; } = OperatingSystem.IsLinux() && File.Exists("/proc/self/stat");

    public static long TicksPerSecond { get; } = Native.ClockTicksPerSecond();

    public static TimeSpan CpuTime(long ticks) => TimeSpan.FromSeconds((double)ticks / TicksPerSecond);

    public static IEnumerable<int> Pids()
    {
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(dir.AsSpan()), NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
            {
                yield return pid;
            }
        }
    }

    public static ProcStat? Stat(int pid) => ParseStat(Read($"/proc/{pid}/stat"));

    public static ProcStat? TaskStat(int pid, int tid) => ParseStat(Read($"/proc/{pid}/task/{tid}/stat"));

    /// <summary>
    /// How long a thread has been runnable so far: on a CPU plus waiting for one (the first two
    /// fields of /proc/&lt;pid&gt;/task/&lt;tid&gt;/schedstat, in nanoseconds). Null where the kernel does not keep it.
    /// </summary>
    public static long? TaskRunnableNanoseconds(int pid, int tid)
    {
        var fields = Read($"/proc/{pid}/task/{tid}/schedstat")?.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (
            fields is not { Length: >= 2 }
            || !long.TryParse(fields[0], NumberStyles.None, CultureInfo.InvariantCulture, out var running)
            || !long.TryParse(fields[1], NumberStyles.None, CultureInfo.InvariantCulture, out var waiting)
        )
        {
            return null;
        }
        return running + waiting;
    }

    public static IEnumerable<int> Tasks(int pid)
    {
        string[] dirs;
        try
        {
            dirs = Directory.GetDirectories($"/proc/{pid}/task");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            yield break;
        }
        foreach (var dir in dirs)
        {
            if (int.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out var tid))
            {
                yield return tid;
            }
        }
    }

    public static IReadOnlyList<string> CommandLine(int pid)
    {
        var text = Read($"/proc/{pid}/cmdline");
        return string.IsNullOrEmpty(text) ? [] : text.TrimEnd('\0').Split('\0');
    }

    /// <summary>True when the process's environment holds <paramref name="entry"/> ("NAME=value").</summary>
    public static bool EnvironmentContains(int pid, string entry)
    {
        var text = Read($"/proc/{pid}/environ");
        if (string.IsNullOrEmpty(text))
        {
            return false;
        }
        foreach (var variable in text.Split('\0'))
        {
            if (variable == entry)
            {
                return true;
            }
        }
        return false;
    }

    internal static ProcStat? ParseStat(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }
        var open = text.IndexOf('(', StringComparison.Ordinal);
        var close = text.LastIndexOf(')');
        if (open < 0 || close < open)
        {
            return null;
        }
        var fields = text[(close + 2)..].Split(' ');
        if (fields.Length < 20)
        {
            return null;
        }
        static long L(string s) => long.Parse(s, NumberStyles.Integer, CultureInfo.InvariantCulture);
        return new ProcStat(
            Pid: int.Parse(text.AsSpan(0, open).Trim(), CultureInfo.InvariantCulture),
            Comm: text[(open + 1)..close],
            State: fields[0][0],
            ParentPid: (int)L(fields[1]),
            ProcessGroup: (int)L(fields[2]),
            Session: (int)L(fields[3]),
            CpuTicks: L(fields[11]) + L(fields[12]),
            StartTicks: L(fields[19])
        );
    }

    private static string? Read(string path)
    {
        try
        {
            return File.ReadAllText(path, Encoding.UTF8);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
