using CliWrap;

namespace ConcurrencyKata.Harness;

/// <summary>
/// The children this process starts itself (builds, graders' verifications, programs' main processes),
/// while they run. This process is the subreaper of every run, so a child of it is either one it
/// started or an orphan of a run re-parented to it; only while it started nothing but the run's main
/// process can an unmarked child be taken for the run's (see <see cref="ProcessTreeObserver"/>).
/// </summary>
public static class OwnChildren
{
    private static readonly Lock Gate = new();
    private static readonly HashSet<int> Running = [];
    private static int _starting;
    private static long _started;

    /// <summary>How many children this process began to start so far.</summary>
    internal static long Started
    {
        get
        {
            lock (Gate)
            {
                return _started;
            }
        }
    }

    /// <summary>Starts a command through CliWrap, known as this process's own child until it ends.</summary>
    public static CommandTask<T> Start<T>(Func<CommandTask<T>> start)
    {
        ArgumentNullException.ThrowIfNull(start);
        lock (Gate)
        {
            _starting++;
            _started++;
        }
        try
        {
            var task = start();
            var pid = task.ProcessId;
            lock (Gate)
            {
                Running.Add(pid);
            }
            _ = task.Task.ContinueWith(
                _ =>
                {
                    lock (Gate)
                    {
                        Running.Remove(pid);
                    }
                },
                CancellationToken.None,
                TaskContinuationOptions.ExecuteSynchronously,
                TaskScheduler.Default
            );
            return task;
        }
        finally
        {
            lock (Gate)
            {
                _starting--;
            }
        }
    }

    /// <summary>
    /// True when, since <paramref name="startedBefore"/> children had been started, this process started
    /// no other, is starting none, and has none running but <paramref name="only"/>.
    /// </summary>
    internal static bool NoneBut(int only, long startedBefore)
    {
        lock (Gate)
        {
            return _starting == 0 && _started == startedBefore && Running.All(pid => pid == only);
        }
    }
}
