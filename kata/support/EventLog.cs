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
}

internal sealed record EventRecord(string Event, string Name, int Pid, int Tid, long Ts);

[System.Text.Json.Serialization.JsonSerializable(typeof(EventRecord))]
[System.Text.Json.Serialization.JsonSourceGenerationOptions(
    PropertyNamingPolicy = System.Text.Json.Serialization.JsonKnownNamingPolicy.CamelCase
)]
internal sealed partial class EventJson : System.Text.Json.Serialization.JsonSerializerContext;
