using System.Globalization;
using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace ConcurrencyKata.Harness.Work;

/// <summary>
/// Who is calling, as the kernel attests it: the process from the connection's peer credentials, and
/// the thread only when /proc shows that very thread of that process blocked receiving on the
/// connection's own socket. Naming an idle thread, another process's thread, or a thread blocked on
/// anything else does not pass.
/// </summary>
internal static class CallerIdentity
{
    private const int SolSocket = 1;
    private const int SoPeerCred = 17;

    /// <summary>read, readv, recvfrom, recvmsg, recvmmsg on the architectures .NET runs on Linux.</summary>
    private static readonly HashSet<int> ReceiveCalls = RuntimeInformation.ProcessArchitecture switch
    {
        Architecture.X64 => [0, 19, 45, 47, 299],
        Architecture.Arm64 or Architecture.RiscV64 or Architecture.LoongArch64 => [63, 65, 207, 212, 243],
        _ => [],
    };

    /// <summary>True where a thread's current system call can be read (/proc/&lt;pid&gt;/task/&lt;tid&gt;/syscall).</summary>
    public static bool ThreadsAttestable { get; } = ProcFs.Available && CanReadOwnSyscall();

    /// <summary>The pid the kernel recorded when the peer connected; null where it cannot say.</summary>
    public static int? PeerPid(Socket connection)
    {
        if (!OperatingSystem.IsLinux())
        {
            return null;
        }
        Span<byte> credentials = stackalloc byte[12];
        try
        {
            var length = connection.GetRawSocketOption(SolSocket, SoPeerCred, credentials);
            var pid = length >= 4 ? BitConverter.ToInt32(credentials) : 0;
            return pid > 0 ? pid : null;
        }
        catch (SocketException)
        {
            return null;
        }
    }

    /// <summary>
    /// Waits until thread <paramref name="tid"/> of <paramref name="pid"/> is seen blocked receiving on
    /// the socket bound to <paramref name="peerAddress"/> (the caller's own end of this connection),
    /// for at most <paramref name="patience"/>. False when it never is.
    /// </summary>
    public static async Task<bool> ThreadIsWaitingOn(
        int pid,
        int tid,
        string? peerAddress,
        TimeSpan patience,
        CancellationToken cancellationToken
    )
    {
        if (tid <= 0 || string.IsNullOrEmpty(peerAddress) || !ThreadsAttestable)
        {
            return false;
        }
        var socketLink = SocketLinkOf(peerAddress);
        if (socketLink is null)
        {
            return false;
        }
        var until = MonotonicClock.After(MonotonicClock.Now, patience);
        var wait = 0;
        while (!cancellationToken.IsCancellationRequested)
        {
            switch (Receiving(pid, tid, socketLink))
            {
                case true:
                    return true;
                case null:
                    return false; // no such thread in that process
            }
            if (MonotonicClock.Now > until)
            {
                return false;
            }
            // The caller sends, then blocks: usually within microseconds, later on a loaded machine.
            await Task.Delay(Math.Min(++wait, 10), CancellationToken.None).ConfigureAwait(false);
        }
        return false;
    }

    /// <summary>The thread's processor time so far (user and system), in nanoseconds; null when it is gone.</summary>
    public static long? ThreadCpuNanoseconds(int pid, int tid) =>
        ProcFs.TaskStat(pid, tid) is { } stat ? stat.CpuTicks * (1_000_000_000L / ProcFs.TicksPerSecond) : null;

    /// <summary>The kernel's granularity of <see cref="ThreadCpuNanoseconds"/>.</summary>
    public static long CpuTickNanoseconds => 1_000_000_000L / ProcFs.TicksPerSecond;

    /// <summary>True: blocked receiving on that socket; false: doing something else; null: no such thread.</summary>
    private static bool? Receiving(int pid, int tid, string socketLink)
    {
        string text;
        try
        {
            text = File.ReadAllText(
                $"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/task/{tid.ToString(CultureInfo.InvariantCulture)}/syscall"
            );
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return Directory.Exists(
                $"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/task/{tid.ToString(CultureInfo.InvariantCulture)}"
            )
                ? false
                : null;
        }
        var fields = text.Split(' ', 3);
        if (
            fields.Length < 2
            || !int.TryParse(fields[0], NumberStyles.None, CultureInfo.InvariantCulture, out var call)
            || !ReceiveCalls.Contains(call)
            || !fields[1].StartsWith("0x", StringComparison.Ordinal)
            || !int.TryParse(
                fields[1].AsSpan(2),
                NumberStyles.AllowHexSpecifier,
                CultureInfo.InvariantCulture,
                out var fd
            )
        )
        {
            return false;
        }
        try
        {
            var link = new FileInfo(
                $"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/fd/{fd.ToString(CultureInfo.InvariantCulture)}"
            ).LinkTarget;
            return link == socketLink;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    /// <summary>"socket:[inode]" of the socket bound to an abstract address ("@name"), from /proc/net/unix.</summary>
    private static string? SocketLinkOf(string peerAddress)
    {
        try
        {
            foreach (var line in File.ReadLines("/proc/net/unix"))
            {
                if (!line.EndsWith(peerAddress, StringComparison.Ordinal))
                {
                    continue;
                }
                var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                if (fields.Length >= 8 && fields[7] == peerAddress)
                {
                    return $"socket:[{fields[6]}]";
                }
            }
        }
        catch (IOException) { }
        return null;
    }

    private static bool CanReadOwnSyscall()
    {
        try
        {
            return File.ReadAllText("/proc/thread-self/syscall").Length > 0 && ReceiveCalls.Count > 0;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }
}
