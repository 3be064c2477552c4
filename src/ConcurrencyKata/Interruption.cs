using System.Runtime.InteropServices;
using ConcurrencyKata.Harness;

namespace ConcurrencyKata;

/// <summary>
/// What kata does when it is told to stop (Ctrl+C's SIGINT, SIGTERM, or SIGHUP when its terminal
/// closes): the guardian ends every program it started, with their cgroups, run folders and a
/// grading's work folder; the learner's files are put back where a program changed them; one line
/// on standard error says what happened; and kata exits with 128 + the signal's number (130, 143,
/// 129). SIGKILL cannot be caught: then the guardian does the same on its own, as soon as kata is gone.
/// </summary>
internal static class Interruption
{
    private static readonly TimeSpan GuardianLimit = TimeSpan.FromSeconds(3);
    private static readonly List<PosixSignalRegistration> Registrations = [];
    private static readonly List<Action> Repairs = [];
    private static int _stopping;

    /// <summary>True once kata is stopping: nothing it would still write is wanted.</summary>
    public static bool Stopping => Volatile.Read(ref _stopping) == 1;

    public static void Install()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }
        Registrations.Add(PosixSignalRegistration.Create(PosixSignal.SIGINT, c => Stop(c, 130, "SIGINT (Ctrl+C)")));
        Registrations.Add(PosixSignalRegistration.Create(PosixSignal.SIGTERM, c => Stop(c, 143, "SIGTERM")));
        Registrations.Add(PosixSignalRegistration.Create(PosixSignal.SIGHUP, c => Stop(c, 129, "SIGHUP")));
    }

    /// <summary>Something to put right before kata exits on a signal (e.g. restore a file a program changed).</summary>
    public static IDisposable OnStop(Action repair)
    {
        lock (Repairs)
        {
            Repairs.Add(repair);
        }
        return new Removal(repair);
    }

    /// <summary>Waits for the exit when kata is stopping, so that nothing half-finished is written; returns at once otherwise.</summary>
    public static void HoldIfStopping()
    {
        if (Stopping)
        {
            Thread.Sleep(Timeout.Infinite);
        }
    }

    private static void Stop(PosixSignalContext context, int exitCode, string name)
    {
        context.Cancel = true;
        if (Interlocked.Exchange(ref _stopping, 1) == 1)
        {
            return;
        }
        // The runtime reads Cancel when the handler returns, so the handler returns at once and the
        // ending (which exits the process) happens on a thread of its own.
        new Thread(() => End(exitCode, name)) { Name = "kata-stop", IsBackground = false }.Start();
    }

    private static void End(int exitCode, string name)
    {
        var ended = Guardian.EndEverything(GuardianLimit);
        Action[] repairs;
        lock (Repairs)
        {
            repairs = [.. Repairs];
        }
        foreach (var repair in repairs)
        {
            try
            {
                repair();
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException) { }
        }
        if (!System.Console.IsOutputRedirected)
        {
            // The progress display hides the cursor; it would not come back after this exit.
            System.Console.Out.Write("\e[?25h\n");
        }
        System.Console.Error.WriteLine(
            ended
                ? $"kata: stopped by {name}; every program it had started was ended."
                : $"kata: stopped by {name}; the programs it had started are being ended."
        );
        Environment.Exit(exitCode);
    }

    private sealed class Removal(Action repair) : IDisposable
    {
        public void Dispose()
        {
            lock (Repairs)
            {
                Repairs.Remove(repair);
            }
        }
    }
}
