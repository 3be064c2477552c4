using System.Globalization;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Text;

namespace ConcurrencyKata.Support;

/// <summary>
/// The client of the verifier's work service, named in KATA_SERVICE when the verifier runs the program.
/// Each work call is one connection: the service decides how long the work lasts and records who did
/// it, so there is nothing here to configure and nothing to write. Run by hand (no KATA_SERVICE), the
/// work is simulated in this process.
/// </summary>
internal static class WorkService
{
    public const string Variable = "KATA_SERVICE";

    private static readonly string? Address = Environment.GetEnvironmentVariable(Variable);

    public static bool Present => !string.IsNullOrEmpty(Address);

    static WorkService()
    {
        if (Present)
        {
            // Tells the service this process ends; it may hold a worker's exit for a moment, so
            // that a parent that does not wait for its workers shows it on every run.
            AppDomain.CurrentDomain.ProcessExit += (_, _) => SayExit();
        }
    }

    private static void SayExit()
    {
        try
        {
            using var call = Begin("exit", "-", blocksThread: true);
            call.Reply();
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException or InvalidOperationException) { }
    }

    /// <summary>Sends one request from the calling thread; the caller then waits for the reply on this same thread.</summary>
    public static Call Begin(string verb, string name, bool blocksThread)
    {
        var socket = Connect();
        try
        {
            // The OS thread the service will see waiting, and the id .NET gives that same thread.
            var thread = blocksThread
                ? OsThreadId().ToString(CultureInfo.InvariantCulture)
                    + ":"
                    + Environment.CurrentManagedThreadId.ToString(CultureInfo.InvariantCulture)
                    + (Task.CurrentId is null ? "" : ":task")
                : "0";
            socket.Send(Encoding.UTF8.GetBytes($"{verb} {thread} {name}\n"));
            return new Call(socket);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    public static async Task<Call> BeginAsync(string verb, string name, CancellationToken cancellationToken)
    {
        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            await socket.ConnectAsync(ServiceEndPoint(), cancellationToken).ConfigureAwait(false);
            await socket
                .SendAsync(Encoding.UTF8.GetBytes($"{verb} 0 {name}\n"), cancellationToken)
                .ConfigureAwait(false);
            return new Call(socket);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    private static Socket Connect()
    {
        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            if (OperatingSystem.IsLinux())
            {
                // An address of this call's own, so that the service can see this thread wait on it.
                socket.Bind(new UnixDomainSocketEndPoint("\0kata-call-" + Guid.NewGuid().ToString("N")));
            }
            socket.Connect(ServiceEndPoint());
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    private static UnixDomainSocketEndPoint ServiceEndPoint() =>
        new(Address!.StartsWith('@') ? "\0" + Address[1..] : Address);

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

    /// <summary>One work call in progress.</summary>
    internal sealed class Call(Socket socket) : IDisposable
    {
        private readonly byte[] _buffer = new byte[256];
        private int _filled;

        /// <summary>Blocks the calling thread until the service replies; null when it went away.</summary>
        public string? Reply()
        {
            while (true)
            {
                if (TakeLine() is { } line)
                {
                    return line;
                }
                int read;
                try
                {
                    read = socket.Receive(_buffer, _filled, _buffer.Length - _filled, SocketFlags.None);
                }
                catch (Exception e) when (e is SocketException or ObjectDisposedException)
                {
                    return null;
                }
                if (read == 0)
                {
                    return null;
                }
                _filled += read;
            }
        }

        public async Task<string?> ReplyAsync(CancellationToken cancellationToken)
        {
            while (true)
            {
                if (TakeLine() is { } line)
                {
                    return line;
                }
                var read = await socket
                    .ReceiveAsync(_buffer.AsMemory(_filled), cancellationToken)
                    .ConfigureAwait(false);
                if (read == 0)
                {
                    return null;
                }
                _filled += read;
            }
        }

        public void Say(string line) => socket.Send(Encoding.UTF8.GetBytes(line + "\n"));

        /// <summary>Tells the service the caller gave up, and ends a Reply() waiting on another thread.</summary>
        public void Cancel()
        {
            try
            {
                Say("cancel");
                socket.Shutdown(SocketShutdown.Both);
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException) { }
        }

        private string? TakeLine()
        {
            var end = Array.IndexOf(_buffer, (byte)'\n', 0, _filled);
            if (end < 0)
            {
                if (_filled == _buffer.Length)
                {
                    throw new InvalidOperationException("The verifier's work service sent an unexpected reply.");
                }
                return null;
            }
            var line = Encoding.UTF8.GetString(_buffer, 0, end);
            _filled -= end + 1;
            Array.Copy(_buffer, end + 1, _buffer, 0, _filled);
            return line;
        }

        public void Dispose() => socket.Dispose();
    }
}
