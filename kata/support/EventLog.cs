using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;

namespace ConcurrencyKata.Support;

/// <summary>
/// Appends one JSON line per support-library call to the file the verifier names in KATA_EVENTS:
/// event, name, process id, OS thread id and a monotonic timestamp in nanoseconds (the same clock
/// the verifier stamps output lines with). Each record is written with a single append, so
/// concurrent writers in several processes never interleave.
/// </summary>
internal static class EventLog
{
    public const string Variable = "KATA_EVENTS";

    private static readonly string? Path = Environment.GetEnvironmentVariable(Variable);
    private static readonly Lock Gate = new();

    public static void Append(string evt, string name)
    {
        if (string.IsNullOrEmpty(Path))
        {
            return;
        }
        var record = new EventRecord(evt, name, Environment.ProcessId, OsThreadId(), MonotonicNanoseconds());
        var line = JsonSerializer.Serialize(record, EventJson.Default.EventRecord) + "\n";
        var bytes = Encoding.UTF8.GetBytes(line);
        lock (Gate)
        {
            if (OperatingSystem.IsLinux() && TryAppendLinux(Path, bytes))
            {
                return;
            }
            using var stream = new FileStream(
                Path,
                FileMode.Append,
                FileAccess.Write,
                FileShare.ReadWrite | FileShare.Delete,
                bufferSize: 1
            );
            stream.Write(bytes);
        }
    }

    /// <summary>
    /// One write(2) on a descriptor opened with O_APPEND: the kernel moves to the end and writes in a
    /// single step, so records from several processes never overwrite each other. (.NET's
    /// FileMode.Append does not use O_APPEND: it writes at the end as it was when the file was
    /// opened, and two processes appending at once lose a record.)
    /// </summary>
    private static bool TryAppendLinux(string path, byte[] bytes)
    {
        const int WriteOnlyCreateAppendCloseOnExec = 0x1 | 0x40 | 0x400 | 0x80000;
        int fd;
        try
        {
            fd = open(
                path,
                WriteOnlyCreateAppendCloseOnExec,
                0b110_100_100 /* rw-r--r-- */
            );
        }
        catch (EntryPointNotFoundException)
        {
            return false;
        }
        if (fd < 0)
        {
            return false;
        }
        try
        {
            // A failed write falls back to FileStream; a partial one cannot be undone and shows up as a malformed record.
            return write(fd, bytes, bytes.Length) >= 0;
        }
        finally
        {
            _ = close(fd);
        }
    }

    public static long MonotonicNanoseconds() =>
        (long)(Stopwatch.GetTimestamp() * (1_000_000_000.0 / Stopwatch.Frequency));

    private static int OsThreadId()
    {
        if (OperatingSystem.IsLinux())
        {
            try
            {
                return gettid();
            }
            catch (EntryPointNotFoundException) { }
        }
        return Environment.CurrentManagedThreadId;
    }

    [DllImport("libc")]
    private static extern int gettid();

    [DllImport("libc", SetLastError = true)]
    private static extern int open([MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags, int mode);

    [DllImport("libc", SetLastError = true)]
    private static extern nint write(int fd, byte[] buffer, nint count);

    [DllImport("libc")]
    private static extern int close(int fd);
}

internal sealed record EventRecord(string Event, string Name, int Pid, int Tid, long Ts);

[System.Text.Json.Serialization.JsonSerializable(typeof(EventRecord))]
[System.Text.Json.Serialization.JsonSourceGenerationOptions(
    PropertyNamingPolicy = System.Text.Json.Serialization.JsonKnownNamingPolicy.CamelCase
)]
internal sealed partial class EventJson : System.Text.Json.Serialization.JsonSerializerContext;
