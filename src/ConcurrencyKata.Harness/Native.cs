using System.Runtime.InteropServices;

namespace ConcurrencyKata.Harness;

/// <summary>The few libc calls .NET does not expose. Linux only; callers check the platform.</summary>
internal static partial class Native
{
    private const int PrSetChildSubreaper = 36;
    private const int PrSetDumpable = 4;
    private const int ScClkTck = 2;
    private const int WNoHang = 1;
    public const int SigKill = 9;

    /// <summary>
    /// Makes this process not dumpable: its /proc files that give access to it (fd, mem, environ)
    /// then belong to root, so a process of the same user (a program under verification) can neither
    /// write to its pipes nor read its memory. Root is not held back by it.
    /// </summary>
    public static bool TryMakeNotDumpable()
    {
        if (!OperatingSystem.IsLinux())
        {
            return false;
        }
        try
        {
            return prctl(PrSetDumpable, 0, 0, 0, 0) == 0;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return false;
        }
    }

    /// <summary>
    /// Makes this process the child subreaper: orphans of the programs it starts are re-parented to
    /// it instead of to init, so they stay visible as part of the run until the harness kills them.
    /// </summary>
    public static bool TryBecomeSubreaper()
    {
        if (!OperatingSystem.IsLinux())
        {
            return false;
        }
        try
        {
            return prctl(PrSetChildSubreaper, 1, 0, 0, 0) == 0;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return false;
        }
    }

    public static bool Kill(int pid, int signal) => OperatingSystem.IsLinux() && kill(pid, signal) == 0;

    /// <summary>True when this process runs as root (effective user id 0).</summary>
    public static bool IsRoot => OperatingSystem.IsLinux() && geteuid() == 0;

    /// <summary>Gives a file or folder to a user and group; false when the system refused.</summary>
    public static unsafe bool TryChown(string path, int uid, int gid)
    {
        var bytes = System.Text.Encoding.UTF8.GetBytes(path + "\0");
        fixed (byte* p = bytes)
        {
            return chown(p, uid, gid) == 0;
        }
    }

    /// <summary>Reaps <paramref name="pid"/> if it is an exited child of this process (an orphan re-parented here).</summary>
    public static void TryReap(int pid)
    {
        if (OperatingSystem.IsLinux())
        {
            _ = waitpid(pid, IntPtr.Zero, WNoHang);
        }
    }

    private const int ORdOnly = 0;
    private const int OCloExec = 0x80000;

    /// <summary>open(2) read-only; <paramref name="path"/> is NUL-terminated. A negative result means it failed.</summary>
    public static unsafe int Open(ReadOnlySpan<byte> path)
    {
        fixed (byte* p = path)
        {
            return open(p, ORdOnly | OCloExec);
        }
    }

    public static unsafe int Read(int fd, Span<byte> buffer)
    {
        fixed (byte* p = buffer)
        {
            return (int)read(fd, p, (nuint)buffer.Length);
        }
    }

    public static void Close(int fd) => _ = close(fd);

    public static long ClockTicksPerSecond()
    {
        if (!OperatingSystem.IsLinux())
        {
            return 100;
        }
        try
        {
            var ticks = sysconf(ScClkTck);
            return ticks > 0 ? ticks : 100;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return 100;
        }
    }

    [LibraryImport("libc", SetLastError = true)]
    private static partial int prctl(int option, ulong arg2, ulong arg3, ulong arg4, ulong arg5);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int kill(int pid, int sig);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int waitpid(int pid, IntPtr status, int options);

    [LibraryImport("libc")]
    private static partial long sysconf(int name);

    [LibraryImport("libc")]
    private static unsafe partial int open(byte* path, int flags);

    [LibraryImport("libc")]
    private static unsafe partial nint read(int fd, byte* buffer, nuint count);

    [LibraryImport("libc")]
    private static partial int close(int fd);

    [LibraryImport("libc")]
    private static partial uint geteuid();

    [LibraryImport("libc", SetLastError = true)]
    private static unsafe partial int chown(byte* path, int owner, int group);
}
