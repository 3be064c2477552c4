using System.Collections.Concurrent;
using System.Globalization;
using System.Net.Sockets;
using System.Text;

namespace ConcurrencyKata.Harness.Work;

/// <summary>
/// The verifier's side of the support library: a Unix domain socket, one per run, named in the
/// program's environment (<see cref="AddressVariable"/>). Every <c>Kata.*</c> work call is one
/// connection; the service owns the run's <see cref="WorkPlan"/>, times the work on its own clock,
/// identifies the caller by what the kernel attests (<see cref="CallerIdentity"/>) and keeps the
/// records the specs judge. The program can neither write them nor change the parameters.
/// </summary>
/// <remarks>
/// The protocol, one request line per connection, UTF-8, fields separated by one space:
/// <c>VERB TID[:MANAGED] NAME\n</c>, where TID is the calling OS thread (0 for a call that blocks no
/// thread), MANAGED the id .NET gives that thread (Environment.CurrentManagedThreadId), followed by
/// <c>:task</c> when the call is made from inside a running Task's code, and the caller's socket is bound to an abstract address of its own (so that the thread waiting on
/// it can be attested). Verbs and replies:
/// <list type="bullet">
/// <item><c>download</c>: <c>end</c> once the download's time is over; the caller may send <c>cancel</c> first.</item>
/// <item><c>turn</c> (NAME is the turn's number): <c>end</c> once the turn's hold is over.</item>
/// <item><c>critical</c>: <c>end</c>, or <c>fail</c> for the call the plan fails once.</item>
/// <item><c>exit</c> (sent as a process that called the library ends): <c>end</c>, at once for the main
/// process and after <see cref="WorkPlan.ExitHoldMs"/> for any other.</item>
/// <item><c>compute</c> (NAME is the chunk): <c>go MS</c>; the caller computes for MS of its thread's
/// processor time, sends <c>done</c>, and gets <c>end</c>. The chunk counts only if the kernel shows
/// that thread's processor time grew by MS.</item>
/// </list>
/// </remarks>
public sealed class WorkService : IAsyncDisposable
{
    public const string AddressVariable = "KATA_SERVICE";

    /// <summary>How long a caller's thread has to be seen waiting for its reply, once it has sent its request.</summary>
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(2);
    private const int MaxLineBytes = 1024;

    private readonly Socket _listener;
    private readonly WorkPlan _plan;
    private readonly ConcurrentQueue<SupportEvent> _records = new();
    private readonly ConcurrentDictionary<int, Task> _calls = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _accepting;
    private int _criticalCalls;
    private int _malformed;
    private int _callIds;
    private int _unattested;

    private WorkService(Socket listener, string address, WorkPlan plan)
    {
        _listener = listener;
        _plan = plan;
        Address = address;
        _accepting = Task.Run(AcceptAsync);
    }

    /// <summary>The value of <see cref="AddressVariable"/>: "@name" for an abstract socket, else a path.</summary>
    public string Address { get; }

    /// <summary>The run's main process, once started: the one process the exit hold does not apply to.</summary>
    public int RootPid { get; set; }

    /// <summary>Requests that were not a request of the protocol.</summary>
    public int Malformed => Volatile.Read(ref _malformed);

    /// <summary>Calls made from a thread the kernel never showed waiting on its call (recorded with thread 0).</summary>
    public int Unattested => Volatile.Read(ref _unattested);

    /// <summary>
    /// Why the calling thread of a request is taken on the program's word, where it is; null where the
    /// kernel attests every thread.
    /// </summary>
    public static string? ThreadAttestationGap =>
        CallerIdentity.ThreadsAttestable
            ? null
            : "this system does not show which system call a thread is blocked in (/proc/<pid>/task/<tid>/syscall)";

    /// <summary>Starts a service for one run; on Linux an abstract socket (nothing on disk to clean up or to guess a path of).</summary>
    public static WorkService Start(string marker, WorkPlan plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            string address;
            if (OperatingSystem.IsLinux())
            {
                // Long on purpose: .NET sizes an accepted peer's address by the listener's own, and a
                // caller bound to a longer one could not be accepted.
                var name = ("kata-service-" + marker + "-").PadRight(100, 'x');
                listener.Bind(new UnixDomainSocketEndPoint("\0" + name));
                address = "@" + name;
            }
            else
            {
                address = Path.Combine(Path.GetTempPath(), "kata-" + marker[..12] + ".sock");
                listener.Bind(new UnixDomainSocketEndPoint(address));
            }
            listener.Listen(4096);
            return new WorkService(listener, address, plan);
        }
        catch
        {
            listener.Dispose();
            throw;
        }
    }

    /// <summary>Every record so far, in order of time.</summary>
    public IReadOnlyList<SupportEvent> Records() => [.. _records.OrderBy(r => r.At)];

    /// <summary>
    /// Takes no more calls and lets the calls in progress record what they saw; then returns every
    /// record. Call it once the run's processes are gone: their connections are closed by then.
    /// </summary>
    public async Task<IReadOnlyList<SupportEvent>> StopAsync()
    {
        if (Interlocked.Exchange(ref _stopped, 1) == 0)
        {
            _listener.Dispose();
            try
            {
                // Calls whose caller is gone end at once; the grace is for recording them.
                await Task.WhenAll([.. _calls.Values]).WaitAsync(TimeSpan.FromSeconds(1)).ConfigureAwait(false);
            }
            catch (TimeoutException) { }
            await _stop.CancelAsync().ConfigureAwait(false);
            try
            {
                await Task.WhenAll([_accepting, .. _calls.Values])
                    .WaitAsync(TimeSpan.FromSeconds(5))
                    .ConfigureAwait(false);
            }
            catch (TimeoutException) { }
        }
        return Records();
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync().ConfigureAwait(false);
        _stop.Dispose();
    }

    private int _stopped;

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket connection;
            try
            {
                connection = await _listener.AcceptAsync(_stop.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException)
            {
                return;
            }
            catch (Exception e) when (e is SocketException or ArgumentException)
            {
                continue; // one caller that could not be accepted (see Start) is that caller's problem only
            }
            var id = Interlocked.Increment(ref _callIds);
            _calls[id] = ServeAsync(connection)
                .ContinueWith(_ => _calls.TryRemove(id, out var _), TaskScheduler.Default);
        }
    }

    private async Task ServeAsync(Socket connection)
    {
        using var _ = connection;
        using var stream = new NetworkStream(connection, ownsSocket: false);
        var reader = new LineReader(stream, MaxLineBytes);
        try
        {
            using var first = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
            first.CancelAfter(TimeSpan.FromSeconds(10));
            var line = await reader.ReadLineAsync(first.Token).ConfigureAwait(false);
            if (line is null || Parse(line) is not { } request)
            {
                if (line is not null)
                {
                    Interlocked.Increment(ref _malformed);
                }
                return;
            }
            var caller = new Caller(
                CallerIdentity.PeerPid(connection) ?? 0,
                request.Tid,
                request.Managed,
                request.InTask,
                PeerAddress(connection)
            );
            var call = new Call(this, caller, request.Name, stream, reader);
            await (
                request.Verb switch
                {
                    "download" => call.HoldAsync("download", _plan.Download(request.Name), sync: request.Tid != 0),
                    "turn" => call.HoldAsync("turn", _plan.Turn(request.Name), sync: true),
                    "critical" => call.CriticalAsync(
                        TimeSpan.FromMilliseconds(_plan.CriticalMs),
                        Interlocked.Increment(ref _criticalCalls) == _plan.FailOnceCall
                    ),
                    "compute" => call.ComputeAsync(_plan.Compute(request.Name)),
                    "exit" => call.ExitAsync(
                        caller.Pid == RootPid ? TimeSpan.Zero : TimeSpan.FromMilliseconds(_plan.ExitHoldMs)
                    ),
                    _ => Task.CompletedTask,
                }
            ).ConfigureAwait(false);
        }
        catch (Exception e)
            when (e is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
        {
            // The caller went away (killed, or the run is over): what it got so far is recorded.
        }
    }

    private static (string Verb, int Tid, int Managed, bool InTask, string Name)? Parse(string line)
    {
        var parts = line.Split(' ', 3);
        if (
            parts.Length != 3
            || parts[0] is not ("download" or "turn" or "critical" or "compute" or "exit")
            || string.IsNullOrWhiteSpace(parts[2])
        )
        {
            return null;
        }
        var thread = parts[1].Split(':', 3);
        var managed = 0;
        if (
            !int.TryParse(thread[0], NumberStyles.None, CultureInfo.InvariantCulture, out var tid)
            || (
                thread.Length >= 2
                && !int.TryParse(thread[1], NumberStyles.None, CultureInfo.InvariantCulture, out managed)
            )
        )
        {
            return null;
        }
        return (parts[0], tid, managed, thread.Length == 3 && thread[2] == "task", parts[2]);
    }

    private static string? PeerAddress(Socket connection)
    {
        try
        {
            return connection.RemoteEndPoint is UnixDomainSocketEndPoint peer ? peer.ToString() : null;
        }
        catch (Exception e) when (e is SocketException or ArgumentException)
        {
            return null;
        }
    }

    private void Record(string evt, string name, Caller caller, int tid, long at, long? cpu = null) =>
        _records.Enqueue(
            new SupportEvent(evt, name, caller.Pid, tid, at)
            {
                CpuNanoseconds = cpu,
                ManagedThreadId = tid > 0 ? caller.Managed : 0,
                InTask = caller.InTask,
            }
        );

    private readonly record struct Caller(int Pid, int ClaimedTid, int Managed, bool InTask, string? Address);

    /// <summary>One connection's work, recorded as the service saw it.</summary>
    private sealed class Call(WorkService service, Caller caller, string name, NetworkStream stream, LineReader reader)
    {
        /// <summary>A download or a turn: held for its time unless the caller cancels first.</summary>
        public async Task HoldAsync(string kind, TimeSpan hold, bool sync)
        {
            var startedAt = MonotonicClock.Now;
            using var left = CancellationTokenSource.CreateLinkedTokenSource(service._stop.Token);
            var attested = sync ? AttestAsync(left.Token) : Task.FromResult(0);
            var held = MonotonicClock.DelayUntil(MonotonicClock.After(startedAt, hold), left.Token);
            var next = reader.ReadLineAsync(left.Token);
            if (await Task.WhenAny(held, next).ConfigureAwait(false) == next || !held.IsCompletedSuccessfully)
            {
                var said = next.IsCompletedSuccessfully ? next.Result : null;
                await left.CancelAsync().ConfigureAwait(false);
                var tid = await attested.ConfigureAwait(false);
                service.Record(kind + "-start", name, caller, tid, startedAt);
                if (said == "cancel")
                {
                    service.Record(kind + "-cancel", name, caller, tid, MonotonicClock.Now);
                }
                return;
            }
            var thread = await attested.ConfigureAwait(false);
            service.Record(kind + "-start", name, caller, thread, startedAt);
            // The end is stamped before the reply: the caller's next call can only come after it.
            service.Record(kind + "-end", name, caller, thread, MonotonicClock.Now);
            await stream.WriteAsync("end\n"u8.ToArray()).ConfigureAwait(false);
            await left.CancelAsync().ConfigureAwait(false);
        }

        public async Task CriticalAsync(TimeSpan hold, bool fail)
        {
            var startedAt = MonotonicClock.Now;
            var attested = AttestAsync(service._stop.Token);
            await MonotonicClock
                .DelayUntil(MonotonicClock.After(startedAt, hold), service._stop.Token)
                .ConfigureAwait(false);
            var tid = await attested.ConfigureAwait(false);
            service.Record("critical-start", name, caller, tid, startedAt);
            service.Record(fail ? "critical-fail" : "critical-end", name, caller, tid, MonotonicClock.Now);
            await stream.WriteAsync(fail ? "fail\n"u8.ToArray() : "end\n"u8.ToArray()).ConfigureAwait(false);
        }

        public async Task ExitAsync(TimeSpan hold)
        {
            await Task.Delay(hold, service._stop.Token).ConfigureAwait(false);
            await stream.WriteAsync("end\n"u8.ToArray()).ConfigureAwait(false);
        }

        /// <summary>A chunk counts only if the attested thread's own processor time grew by the chunk's worth.</summary>
        public async Task ComputeAsync(TimeSpan cpu)
        {
            var tid = await AttestAsync(service._stop.Token).ConfigureAwait(false);
            var cpuBefore = tid > 0 ? CallerIdentity.ThreadCpuNanoseconds(caller.Pid, tid) : null;
            var startedAt = MonotonicClock.Now;
            var go = "go " + ((long)cpu.TotalMilliseconds).ToString(CultureInfo.InvariantCulture) + "\n";
            await stream.WriteAsync(Encoding.ASCII.GetBytes(go)).ConfigureAwait(false);
            var said = await reader.ReadLineAsync(service._stop.Token).ConfigureAwait(false);
            if (said != "done")
            {
                service.Record("compute-start", name, caller, tid, startedAt);
                return;
            }
            var endedAt = MonotonicClock.Now;
            var again = tid > 0 ? await AttestAsync(service._stop.Token).ConfigureAwait(false) : 0;
            var cpuAfter = again == tid && tid > 0 ? CallerIdentity.ThreadCpuNanoseconds(caller.Pid, tid) : null;
            long? spent = cpuBefore is { } b && cpuAfter is { } a ? a - b : null;
            // Two of the kernel's ticks of slack: it counts a thread's processor time in ticks.
            var paid = spent >= (cpu.Ticks * 100) - (2 * CallerIdentity.CpuTickNanoseconds);
            service.Record("compute-start", name, caller, tid, startedAt);
            service.Record(paid ? "compute-end" : "compute-unpaid", name, caller, tid, endedAt, spent);
            await stream.WriteAsync("end\n"u8.ToArray()).ConfigureAwait(false);
        }

        /// <summary>The claimed thread if the kernel shows it waiting on this very call; 0 otherwise.</summary>
        private async Task<int> AttestAsync(CancellationToken cancellationToken)
        {
            if (caller.ClaimedTid <= 0 || caller.Pid <= 0)
            {
                return 0;
            }
            if (!CallerIdentity.ThreadsAttestable)
            {
                // Taken on the program's word where the kernel cannot say (see ThreadAttestationGap).
                return !ProcFs.Available || ProcFs.TaskStat(caller.Pid, caller.ClaimedTid) is not null
                    ? caller.ClaimedTid
                    : 0;
            }
            if (
                await CallerIdentity
                    .ThreadIsWaitingOn(caller.Pid, caller.ClaimedTid, caller.Address, Patience, cancellationToken)
                    .ConfigureAwait(false)
            )
            {
                return caller.ClaimedTid;
            }
            Interlocked.Increment(ref service._unattested);
            return 0;
        }
    }

    /// <summary>Reads '\n'-ended lines without reading past them; null at the end of the stream.</summary>
    private sealed class LineReader(NetworkStream stream, int maxBytes)
    {
        private readonly byte[] _buffer = new byte[maxBytes];
        private int _filled;

        public async Task<string?> ReadLineAsync(CancellationToken cancellationToken)
        {
            while (true)
            {
                var end = Array.IndexOf(_buffer, (byte)'\n', 0, _filled);
                if (end >= 0)
                {
                    var line = Encoding.UTF8.GetString(_buffer, 0, end);
                    _filled -= end + 1;
                    Array.Copy(_buffer, end + 1, _buffer, 0, _filled);
                    return line;
                }
                if (_filled == _buffer.Length)
                {
                    return null;
                }
                var read = await stream.ReadAsync(_buffer.AsMemory(_filled), cancellationToken).ConfigureAwait(false);
                if (read == 0)
                {
                    return null;
                }
                _filled += read;
            }
        }
    }
}
