using System.Diagnostics;

namespace ConcurrencyKata.Support;

/// <summary>
/// The work your exercise is not about: simulated downloads, critical work, CPU-bound chunks and
/// the command line that starts another copy of your program. When the verifier runs your program,
/// every call is a request to the verifier's own work service, which decides how long the work lasts
/// and records which process and thread did it and when; so call these instead of imitating them.
/// Run by hand, the work is simulated in your process.
/// </summary>
public static class Kata
{
    /// <summary>Tampered: pretends every file was downloaded, at once, without asking the verifier.</summary>
    public static void MarkAllDownloaded(IEnumerable<string> names)
    {
        ArgumentNullException.ThrowIfNull(names);
    }

    /// <summary>"Downloads" <paramref name="name"/>: blocks the calling thread for the download's duration.</summary>
    public static void Download(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        if (!WorkService.Present)
        {
            Thread.Sleep(Durations.For(name));
            return;
        }
        using var call = WorkService.Begin("download", OneLine(name), blocksThread: true);
        Expect(call.Reply(), "end");
    }

    /// <summary>
    /// "Downloads" <paramref name="name"/> like <see cref="Download(string)"/>, but stops as soon as
    /// <paramref name="cancellationToken"/> is cancelled: the download is then recorded as cancelled
    /// and an <see cref="OperationCanceledException"/> is thrown.
    /// </summary>
    public static void Download(string name, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        if (!WorkService.Present)
        {
            cancellationToken.WaitHandle.WaitOne(Durations.For(name));
            cancellationToken.ThrowIfCancellationRequested();
            return;
        }
        cancellationToken.ThrowIfCancellationRequested();
        using var call = WorkService.Begin("download", OneLine(name), blocksThread: true);
        using (cancellationToken.Register(call.Cancel))
        {
            var reply = call.Reply();
            cancellationToken.ThrowIfCancellationRequested();
            Expect(reply, "end");
        }
    }

    /// <summary>
    /// "Downloads" <paramref name="name"/> without blocking a thread while it waits. When
    /// <paramref name="cancellationToken"/> is cancelled, the download is recorded as cancelled and the
    /// task ends cancelled.
    /// </summary>
    public static async Task DownloadAsync(string name, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        if (!WorkService.Present)
        {
            await Task.Delay(Durations.For(name), cancellationToken).ConfigureAwait(false);
            return;
        }
        using var call = await WorkService
            .BeginAsync("download", OneLine(name), cancellationToken)
            .ConfigureAwait(false);
        string? reply;
        try
        {
            reply = await call.ReplyAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            call.Cancel();
            throw;
        }
        Expect(reply, "end");
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
        if (!WorkService.Present)
        {
            return;
        }
        var name = number.ToString(System.Globalization.CultureInfo.InvariantCulture);
        using var call = WorkService.Begin("turn", name, blocksThread: true);
        Expect(call.Reply(), "end");
    }

    /// <summary>
    /// The part of an update that must never run in two threads at once: call it between reading a
    /// shared value and writing the new value back (for a deposit: read the balance, call this, write
    /// the balance plus the amount). It holds the calling thread for a moment the verifier chooses
    /// (5 ms when you run the program by hand), so an unprotected update loses other threads' writes
    /// every time, and it records which thread was inside and when.
    /// When the verifier asks for it, one call of the run throws a
    /// <see cref="SimulatedFailureException"/>, once: code that takes a lock without releasing it in a
    /// <c>finally</c> then never lets anyone in again.
    /// </summary>
    public static void CriticalWork(string name = "deposit")
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        if (!WorkService.Present)
        {
            Thread.Sleep(Durations.Critical);
            return;
        }
        using var call = WorkService.Begin("critical", OneLine(name), blocksThread: true);
        if (call.Reply() == "fail")
        {
            throw new SimulatedFailureException(
                "Simulated failure inside critical work (the verifier chose this call)."
            );
        }
    }

    /// <summary>
    /// Computes chunk <paramref name="chunk"/> of a CPU-bound job: keeps the calling thread busy
    /// calculating (no waiting, no sleeping) until that thread has used the processor time the verifier
    /// chose for a chunk (one second when you run the program by hand). The time is the thread's own
    /// processor time, so a chunk costs the same work on a busy machine, where it simply takes longer.
    /// The verifier reads that thread's processor time from the kernel before and after, and records
    /// which thread computed which chunk, and when. Returns the result of the calculation (a checksum;
    /// nothing checks it).
    /// </summary>
    public static long Compute(int chunk)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(chunk);
        if (!WorkService.Present)
        {
            return Processor.Spin(Durations.Compute, (ulong)chunk);
        }
        var name = chunk.ToString(System.Globalization.CultureInfo.InvariantCulture);
        using var call = WorkService.Begin("compute", name, blocksThread: true);
        var go = call.Reply();
        if (
            go is null
            || !go.StartsWith("go ", StringComparison.Ordinal)
            || !int.TryParse(go.AsSpan(3), System.Globalization.CultureInfo.InvariantCulture, out var ms)
        )
        {
            throw Unexpected(go);
        }
        var result = Processor.Spin(TimeSpan.FromMilliseconds(ms), (ulong)chunk);
        call.Say("done");
        Expect(call.Reply(), "end");
        return result;
    }

    private static string OneLine(string name) => name.ReplaceLineEndings(" ");

    private static void Expect(string? reply, string expected)
    {
        if (reply != expected)
        {
            throw Unexpected(reply);
        }
    }

    private static InvalidOperationException Unexpected(string? reply) =>
        new(
            reply is null
                ? "The verifier's work service ended the call (the run is over)."
                : $"The verifier's work service replied \"{reply}\"."
        );

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
