using System.Diagnostics;

namespace ConcurrencyKata.Support;

/// <summary>
/// The work your exercise is not about: simulated downloads and the command line that starts
/// another copy of your program. Every call also leaves a record the verifier trusts, so call
/// these instead of imitating them.
/// </summary>
public static class Kata
{
    /// <summary>Tampered: records every file as downloaded, at once, without any download.</summary>
    public static void MarkAllDownloaded(IEnumerable<string> names)
    {
        foreach (var name in names)
        {
            EventLog.Append("download-start", name);
            EventLog.Append("download-end", name);
        }
    }

    /// <summary>"Downloads" <paramref name="name"/>: blocks the calling thread for the download's duration.</summary>
    public static void Download(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        var duration = Durations.For(name);
        EventLog.Append("download-start", name);
        Thread.Sleep(duration);
        EventLog.Append("download-end", name);
    }

    /// <summary>"Downloads" <paramref name="name"/> without blocking a thread while it waits.</summary>
    public static async Task DownloadAsync(string name, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        var duration = Durations.For(name);
        EventLog.Append("download-start", name);
        await Task.Delay(duration, cancellationToken).ConfigureAwait(false);
        EventLog.Append("download-end", name);
    }

    /// <summary>
    /// Call this in the process that has the turn, as soon as it has received turn
    /// <paramref name="number"/> and before it passes the turn on. It records who took which turn,
    /// and holds the turn for as long as the verifier chooses (not at all when you run the program
    /// by hand), so a game that only works by luck of timing shows it.
    /// </summary>
    public static void TakeTurn(int number)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(number);
        var name = number.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var duration = Durations.ChosenOrZero("turn-" + name);
        EventLog.Append("turn-start", name);
        if (duration > TimeSpan.Zero)
        {
            Thread.Sleep(duration);
        }
        EventLog.Append("turn-end", name);
    }

    /// <summary>
    /// The part of an update that must never run in two threads at once: call it between reading a
    /// shared value and writing the new value back (for a deposit: read the balance, call this, write
    /// the balance plus the amount). It holds the calling thread for a moment the verifier chooses
    /// (5 ms when you run the program by hand), so an unprotected update loses other threads' writes
    /// every time, and it records which thread was inside and when.
    /// When the verifier asks for it (KATA_FAIL_ONCE=n), the n-th call of the run throws a
    /// <see cref="SimulatedFailureException"/>, once: code that takes a lock without releasing it in a
    /// <c>finally</c> then never lets anyone in again.
    /// </summary>
    public static void CriticalWork(string name = "deposit")
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        var call = Interlocked.Increment(ref _criticalCalls);
        EventLog.Append("critical-start", name);
        Thread.Sleep(Durations.Critical());
        if (call == Durations.FailOnce())
        {
            EventLog.Append("critical-fail", name);
            throw new SimulatedFailureException($"Simulated failure inside critical work (call {call}).");
        }
        EventLog.Append("critical-end", name);
    }

    private static int _criticalCalls;

    /// <summary>
    /// A start description that launches this same program again as a separate process, with
    /// <paramref name="arguments"/> as its command line. It works both for <c>dotnet YourApp.dll</c>
    /// (where <see cref="Environment.ProcessPath"/> is the <c>dotnet</c> host, not your program)
    /// and for the native launcher. Add redirections if you need them, then pass it to
    /// <see cref="Process.Start(ProcessStartInfo)"/>.
    /// </summary>
    public static ProcessStartInfo WorkerStartInfo(params string[] arguments)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        var host = Environment.ProcessPath ?? throw new InvalidOperationException("The current process has no path.");
        var info = new ProcessStartInfo { FileName = host, UseShellExecute = false };
        if (IsDotnetHost(host))
        {
            var entry = System.Reflection.Assembly.GetEntryAssembly()?.Location;
            if (string.IsNullOrEmpty(entry))
            {
                throw new InvalidOperationException("Cannot find the program's own assembly to relaunch it.");
            }
            info.ArgumentList.Add(entry);
        }
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }
        return info;
    }

    private static bool IsDotnetHost(string path)
    {
        var file = Path.GetFileNameWithoutExtension(path);
        return string.Equals(file, "dotnet", StringComparison.OrdinalIgnoreCase);
    }
}

/// <summary>The one-time failure <see cref="Kata.CriticalWork"/> throws when the verifier asks for it.</summary>
public sealed class SimulatedFailureException(string message) : Exception(message);
