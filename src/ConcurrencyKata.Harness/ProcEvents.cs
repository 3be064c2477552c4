using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace ConcurrencyKata.Harness;

/// <summary>One event of the kernel's process-event connector; <see cref="At"/> is CLOCK_MONOTONIC in ns, the <see cref="MonotonicClock"/>.</summary>
internal readonly record struct ProcEvent(ProcEventKind Kind, long At, int Pid, int Tgid, int ParentPid, int ParentTgid)
{
    /// <summary>For an exit: the wait status the kernel reported (exit code in bits 8–15, killing signal in bits 0–6).</summary>
    public int ExitStatus { get; init; }
}

internal enum ProcEventKind
{
    Fork,
    Exec,
    Exit,
}

/// <summary>
/// The kernel's process-event connector (netlink NETLINK_CONNECTOR, CN_IDX_PROC): every fork, exec
/// and exit on the machine, with kernel timestamps, as it happens. Needs CAP_NET_ADMIN (root);
/// where the socket cannot be opened it is simply unavailable and observation falls back to polling.
/// One socket serves every run of this process; each observer subscribes for the length of its run.
/// </summary>
internal static partial class ProcEvents
{
    private const int AfNetlink = 16;
    private const int SockDgram = 2;
    private const int NetlinkConnector = 11;
    private const int CnIdxProc = 1;
    private const int CnValProc = 1;
    private const int NlmsgDone = 3;
    private const int ProcCnMcastListen = 1;
    private const int HeaderBytes = 16 + 20; // nlmsghdr + cn_msg
    private const int SolSocket = 1;
    private const int SoRcvBufForce = 33;

    private static readonly Lock Gate = new();
    private static readonly List<Action<ProcEvent>> Subscribers = [];
    private static readonly Lazy<bool> Listening = new(Listen);

    public static bool Available => Listening.Value;

    private static long _lost;

    /// <summary>How many times the kernel dropped events because they came faster than they were read.</summary>
    public static long Lost => Interlocked.Read(ref _lost);

    /// <summary>Calls <paramref name="handler"/> on the listener thread for every event until disposed; null when events are unavailable.</summary>
    public static IDisposable? Subscribe(Action<ProcEvent> handler)
    {
        if (!Available)
        {
            return null;
        }
        lock (Gate)
        {
            Subscribers.Add(handler);
        }
        return new Subscription(handler);
    }

    private sealed class Subscription(Action<ProcEvent> handler) : IDisposable
    {
        public void Dispose()
        {
            lock (Gate)
            {
                Subscribers.Remove(handler);
            }
        }
    }

    private static bool Listen()
    {
        if (!OperatingSystem.IsLinux())
        {
            return false;
        }
        try
        {
            var fd = socket(AfNetlink, SockDgram, NetlinkConnector);
            if (fd < 0)
            {
                return false;
            }
            Span<byte> address = stackalloc byte[12]; // sockaddr_nl: family, pad, pid, groups
            BinaryPrimitives.WriteUInt16LittleEndian(address, AfNetlink);
            BinaryPrimitives.WriteUInt32LittleEndian(address[8..], CnIdxProc);
            Span<byte> listen = stackalloc byte[HeaderBytes + 4];
            BinaryPrimitives.WriteUInt32LittleEndian(listen, (uint)listen.Length);
            BinaryPrimitives.WriteUInt16LittleEndian(listen[4..], NlmsgDone);
            BinaryPrimitives.WriteUInt32LittleEndian(listen[16..], CnIdxProc);
            BinaryPrimitives.WriteUInt32LittleEndian(listen[20..], CnValProc);
            BinaryPrimitives.WriteUInt16LittleEndian(listen[32..], 4);
            BinaryPrimitives.WriteUInt32LittleEndian(listen[36..], ProcCnMcastListen);
            // A fork storm sends thousands of events at once: a larger buffer (root may exceed the
            // default maximum) drops fewer of them. Best effort; a drop is counted in Lost.
            Span<byte> size = stackalloc byte[4];
            BinaryPrimitives.WriteInt32LittleEndian(size, 8 << 20);
            _ = setsockopt(fd, SolSocket, SoRcvBufForce, size, size.Length);
            if (bind(fd, address, address.Length) != 0 || send(fd, listen, listen.Length, 0) != listen.Length)
            {
                _ = close(fd);
                return false;
            }
            new Thread(() => Receive(fd)) { IsBackground = true, Name = "kata-proc-events" }.Start();
            return true;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return false;
        }
    }

    private static void Receive(int fd)
    {
        var buffer = new byte[64 * 1024];
        while (true)
        {
            var length = recv(fd, buffer, buffer.Length, 0);
            if (length <= 0)
            {
                // ENOBUFS: the kernel dropped events under a burst; polling covers the gap.
                var error = Marshal.GetLastPInvokeError();
                if (error == 105)
                {
                    Interlocked.Increment(ref _lost);
                    continue;
                }
                if (error == 4)
                {
                    continue;
                }
                return;
            }
            var offset = 0;
            while (offset + 16 <= length)
            {
                var messageLength = (int)BinaryPrimitives.ReadUInt32LittleEndian(buffer.AsSpan(offset));
                if (messageLength < 16 || offset + messageLength > length)
                {
                    break;
                }
                if (Parse(buffer.AsSpan(offset, messageLength)) is { } e)
                {
                    Dispatch(e);
                }
                offset += (messageLength + 3) & ~3;
            }
        }
    }

    /// <summary>Reads a proc_event after the netlink and connector headers (linux/cn_proc.h).</summary>
    internal static ProcEvent? Parse(ReadOnlySpan<byte> message)
    {
        if (message.Length < HeaderBytes + 16 + 16)
        {
            return null;
        }
        var data = message[HeaderBytes..];
        var what = BinaryPrimitives.ReadUInt32LittleEndian(data);
        var at = (long)BinaryPrimitives.ReadUInt64LittleEndian(data[8..]);
        var f = data[16..];
        return what switch
        {
            // fork: parent_pid, parent_tgid, child_pid, child_tgid
            0x1 => new ProcEvent(ProcEventKind.Fork, at, Field(f, 2), Field(f, 3), Field(f, 0), Field(f, 1)),
            // exec and exit: process_pid, process_tgid, ...
            0x2 => new ProcEvent(ProcEventKind.Exec, at, Field(f, 0), Field(f, 1), 0, 0),
            // exit: process_pid, process_tgid, exit_code (a wait status), exit_signal, ...
            0x80000000 => new ProcEvent(ProcEventKind.Exit, at, Field(f, 0), Field(f, 1), 0, 0)
            {
                ExitStatus = Field(f, 2),
            },
            _ => null,
        };

        static int Field(ReadOnlySpan<byte> fields, int index) =>
            BinaryPrimitives.ReadInt32LittleEndian(fields[(index * 4)..]);
    }

    private static void Dispatch(ProcEvent e)
    {
        Action<ProcEvent>[] subscribers;
        lock (Gate)
        {
            if (Subscribers.Count == 0)
            {
                return;
            }
            subscribers = [.. Subscribers];
        }
        foreach (var subscriber in subscribers)
        {
            subscriber(e);
        }
    }

    [LibraryImport("libc", SetLastError = true)]
    private static partial int socket(int domain, int type, int protocol);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int setsockopt(int fd, int level, int name, ReadOnlySpan<byte> value, int length);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int bind(int fd, ReadOnlySpan<byte> address, int length);

    [LibraryImport("libc", SetLastError = true)]
    private static partial nint send(int fd, ReadOnlySpan<byte> buffer, nint length, int flags);

    [LibraryImport("libc", SetLastError = true)]
    private static partial nint recv(int fd, byte[] buffer, nint length, int flags);

    [LibraryImport("libc")]
    private static partial int close(int fd);
}
