using System.Buffers.Text;
using System.Globalization;
using System.IO.Enumeration;
using System.Text;
using System.Text.Unicode;

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
    long StartTicks,
    int ThreadCount = 0
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

    /// <summary>The pids in /proc, read without a string per entry (this runs every few milliseconds).</summary>
    public static List<int> Pids() => NumericEntries("/proc");

    public static ProcStat? Stat(int pid)
    {
        Span<byte> path = stackalloc byte[64];
        return ParseStat(ReadSmall(Path(path, pid, -1, "stat"), stackalloc byte[StatBufferSize]));
    }

    public static ProcStat? TaskStat(int pid, int tid)
    {
        Span<byte> path = stackalloc byte[64];
        return ParseStat(ReadSmall(Path(path, pid, tid, "stat"), stackalloc byte[StatBufferSize]));
    }

    /// <summary>
    /// How long a thread has been runnable so far: on a CPU plus waiting for one (the first two
    /// fields of /proc/&lt;pid&gt;/task/&lt;tid&gt;/schedstat, in nanoseconds). Null where the kernel does not keep it.
    /// </summary>
    public static long? TaskRunnableNanoseconds(int pid, int tid)
    {
        Span<byte> path = stackalloc byte[64];
        var text = ReadSmall(Path(path, pid, tid, "schedstat"), stackalloc byte[128]);
        var first = text.IndexOf((byte)' ');
        var rest = first < 0 ? [] : text[(first + 1)..];
        var second = rest.IndexOf((byte)' ');
        return second > 0 && TryNumber(text[..first], out var running) && TryNumber(rest[..second], out var waiting)
            ? running + waiting
            : null;
    }

    /// <summary>The last pid the kernel handed out (pids are handed out in increasing order until they wrap); -1 when unknown.</summary>
    public static int LastPid()
    {
        var text = ReadSmall("/proc/sys/kernel/ns_last_pid\0"u8, stackalloc byte[32]);
        return TryNumber(text.TrimEnd((byte)'\n'), out var pid) ? (int)pid : -1;
    }

    public static List<int> Tasks(int pid) => NumericEntries($"/proc/{pid}/task");

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

    internal static ProcStat? ParseStat(string? text) => text is null ? null : ParseStat(Encoding.UTF8.GetBytes(text));

    /// <summary>Parses a stat line: "pid (comm) state ppid pgrp session ...", where comm may hold spaces and parentheses.</summary>
    internal static ProcStat? ParseStat(ReadOnlySpan<byte> text)
    {
        var open = text.IndexOf((byte)'(');
        var close = text.LastIndexOf((byte)')');
        if (open <= 0 || close < open || close + 2 >= text.Length)
        {
            return null;
        }
        if (!TryNumber(text[..open].Trim((byte)' '), out var pid))
        {
            return null;
        }
        // Fields after the name, numbered from 0 (state) as in proc(5) minus 3.
        Span<long> wanted = stackalloc long[20];
        var rest = text[(close + 2)..];
        var state = (char)rest[0];
        var field = 0;
        foreach (var range in rest.Split((byte)' '))
        {
            if (field >= wanted.Length)
            {
                break;
            }
            if (field > 0 && !TryNumber(rest[range], out wanted[field]))
            {
                return null;
            }
            field++;
        }
        if (field < wanted.Length)
        {
            return null;
        }
        return new ProcStat(
            Pid: (int)pid,
            Comm: Encoding.UTF8.GetString(text[(open + 1)..close]),
            State: state,
            ParentPid: (int)wanted[1],
            ProcessGroup: (int)wanted[2],
            Session: (int)wanted[3],
            CpuTicks: wanted[11] + wanted[12],
            StartTicks: wanted[19],
            ThreadCount: (int)wanted[17]
        );
    }

    private const int StatBufferSize = 1024;

    private static bool TryNumber(ReadOnlySpan<byte> digits, out long value) =>
        Utf8Parser.TryParse(digits, out value, out var used) && used == digits.Length;

    /// <summary>"/proc/&lt;pid&gt;[/task/&lt;tid&gt;]/&lt;file&gt;\0" in <paramref name="buffer"/>.</summary>
    private static ReadOnlySpan<byte> Path(Span<byte> buffer, int pid, int tid, string file)
    {
        var ok =
            tid >= 0
                ? Utf8.TryWrite(
                    buffer,
                    CultureInfo.InvariantCulture,
                    $"/proc/{pid}/task/{tid}/{file}\0",
                    out var written
                )
                : Utf8.TryWrite(buffer, CultureInfo.InvariantCulture, $"/proc/{pid}/{file}\0", out written);
        return ok ? buffer[..written] : [];
    }

    /// <summary>Reads a small /proc file with three system calls and no allocation; empty when it cannot be read.</summary>
    private static ReadOnlySpan<byte> ReadSmall(ReadOnlySpan<byte> path, Span<byte> buffer)
    {
        var fd = path.IsEmpty ? -1 : Native.Open(path);
        if (fd < 0)
        {
            return [];
        }
        try
        {
            var length = Native.Read(fd, buffer);
            return length > 0 ? buffer[..length] : [];
        }
        finally
        {
            Native.Close(fd);
        }
    }

    private static List<int> NumericEntries(string directory)
    {
        var result = new List<int>();
        try
        {
            var entries = new FileSystemEnumerable<int>(
                directory,
                (ref FileSystemEntry entry) =>
                    int.TryParse(entry.FileName, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : -1,
                new EnumerationOptions { IgnoreInaccessible = true, AttributesToSkip = 0 }
            )
            {
                ShouldIncludePredicate = (ref FileSystemEntry entry) => entry.IsDirectory,
            };
            foreach (var n in entries)
            {
                if (n > 0)
                {
                    result.Add(n);
                }
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { }
        return result;
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
