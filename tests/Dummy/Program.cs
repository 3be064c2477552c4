using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;

// A program with one behaviour per mode, chosen on the command line, for the harness tests to observe.
// Every mode that starts a process prints "child <pid>" so a test can tell which processes it expects.
var mode = args.FirstOrDefault() ?? "";
var rest = args.Skip(1).ToArray();
return mode switch
{
    "exit" => Modes.Exit(Int(rest, 0)),
    "echo" => Modes.Echo(rest),
    "stderr" => Modes.Stderr(rest),
    "env" => Modes.Env(rest),
    "sleep" => Modes.Sleep(Int(rest, 0)),
    "spawn" => Modes.Spawn(Int(rest, 0), Int(rest, 1), wait: true),
    "spawn-nowait" => Modes.Spawn(Int(rest, 0), Int(rest, 1), wait: false),
    "orphan" => Modes.Spawn(1, Int(rest, 0), wait: false),
    "escape" => Modes.Escape(Int(rest, 0)),
    "setsid-sleep" => Modes.SetsidSleep(Int(rest, 0)),
    "daemon" => Modes.Daemon(Int(rest, 0)),
    "bin-sleep" => Modes.BinSleep(),
    "brief" => Modes.Brief(Int(rest, 0)),
    "sh-burst" => Modes.ShBurst(Int(rest, 0)),
    "hang" => Modes.Hang(),
    "spin" => Modes.Spin(rest.Length > 0 ? Int(rest, 0) : -1),
    "deadlock" => Modes.Deadlock(),
    "flood" => Modes.Flood(),
    "crash" => Modes.Crash(rest.FirstOrDefault() ?? "boom"),
    "threads" => Modes.Threads(Int(rest, 0), Int(rest, 1)),
    "read" => Modes.Read(),
    "work" => Modes.Work(rest[0], rest[1], decoy: rest.Length > 2 && rest[2] == "decoy"),
    "fork-storm" => Modes.ForkStorm(Int(rest, 0)),
    "vanish" => Modes.Vanish(),
    "brief-threads" => Modes.BriefThreads(Int(rest, 0)),
    "tamper" => Modes.Tamper(rest[0]),
    "hog" => Modes.Hog(Int(rest, 0)),
    _ => Modes.Usage(),
};

static int Int(string[] values, int index) => int.Parse(values[index], CultureInfo.InvariantCulture);

internal static partial class Modes
{
    public static int Exit(int code) => code;

    /// <summary>Tries what an isolated program must not manage: write <paramref name="path"/>, kill its parent. Writes its own folder.</summary>
    public static int Tamper(string path)
    {
        var uid = File.ReadAllLines("/proc/self/status").First(l => l.StartsWith("Uid:", StringComparison.Ordinal));
        Console.WriteLine($"uid {uid.Split('\t', StringSplitOptions.RemoveEmptyEntries)[1]}");
        Console.WriteLine($"cwd {Environment.CurrentDirectory}");
        try
        {
            File.WriteAllText(path, "tampered");
            Console.WriteLine("wrote the file");
        }
        catch (UnauthorizedAccessException)
        {
            Console.WriteLine("cannot write the file");
        }
        var parent = int.Parse(File.ReadAllText("/proc/self/stat").Split(' ')[3], CultureInfo.InvariantCulture);
        try
        {
            System.Diagnostics.Process.GetProcessById(parent).Kill();
            Console.WriteLine("killed the parent");
        }
        catch (System.ComponentModel.Win32Exception)
        {
            Console.WriteLine("cannot kill the parent");
        }
        File.WriteAllText("mine.txt", "mine");
        Console.WriteLine("wrote its own folder");
        return 0;
    }

    /// <summary>Allocates and touches <paramref name="megabytes"/> MiB in 16 MiB blocks, keeping them all.</summary>
    public static int Hog(int megabytes)
    {
        var blocks = new List<byte[]>();
        for (var i = 0; i < megabytes / 16; i++)
        {
            var block = new byte[16 << 20];
            Array.Fill(block, (byte)1);
            blocks.Add(block);
        }
        Console.WriteLine($"kept {blocks.Count * 16} MiB");
        return 0;
    }

    public static int Echo(string[] lines)
    {
        foreach (var line in lines)
        {
            Console.WriteLine(line);
        }
        return 0;
    }

    public static int Stderr(string[] lines)
    {
        foreach (var line in lines)
        {
            Console.Error.WriteLine(line);
        }
        return 0;
    }

    /// <summary>Prints NAME=value for each variable named, or NAME unset.</summary>
    public static int Env(string[] names)
    {
        foreach (var name in names)
        {
            Console.WriteLine(
                Environment.GetEnvironmentVariable(name) is { } value ? $"{name}={value}" : $"{name} unset"
            );
        }
        return 0;
    }

    public static int Sleep(int ms)
    {
        Console.WriteLine($"sleeping {Environment.ProcessId}");
        Thread.Sleep(ms);
        return 0;
    }

    /// <summary>Starts <paramref name="count"/> copies of this program sleeping <paramref name="ms"/>; waits for them or not.</summary>
    public static int Spawn(int count, int ms, bool wait)
    {
        var children = new List<Process>();
        for (var i = 0; i < count; i++)
        {
            var child = Process.Start(Self("sleep", ms.ToString(CultureInfo.InvariantCulture)))!;
            Console.WriteLine($"child {child.Id}");
            children.Add(child);
        }
        if (wait)
        {
            foreach (var child in children)
            {
                child.WaitForExit();
            }
        }
        Console.WriteLine($"parent {Environment.ProcessId} done");
        return 0;
    }

    /// <summary>Starts a child that leaves this session (setsid) and outlives this program.</summary>
    public static int Escape(int ms)
    {
        var child = Process.Start(Self("setsid-sleep", ms.ToString(CultureInfo.InvariantCulture)))!;
        Console.WriteLine($"child {child.Id}");
        // Wait until the child has left the session, so the test sees a real escape.
        while (SessionOf(child.Id) is { } session && session != child.Id)
        {
            Thread.Sleep(5);
        }
        Console.WriteLine($"parent {Environment.ProcessId} done");
        return 0;
    }

    /// <summary>
    /// A daemon that leaves no trace a poll could follow: setsid(1) forks and exits at once, its child
    /// starts a session of its own and runs /bin/sleep with an empty environment (no run marker).
    /// </summary>
    public static int Daemon(int seconds)
    {
        var start = new ProcessStartInfo("/usr/bin/setsid") { UseShellExecute = false };
        foreach (var argument in new[] { "-f", "/bin/sleep", seconds.ToString(CultureInfo.InvariantCulture) })
        {
            start.ArgumentList.Add(argument);
        }
        start.Environment.Clear();
        Process.Start(start)!.WaitForExit();
        Thread.Sleep(1500);
        Console.WriteLine($"parent {Environment.ProcessId} done");
        return 0;
    }

    public static int SetsidSleep(int ms)
    {
        var session = setsid();
        Console.WriteLine($"escaped {Environment.ProcessId} session {session}");
        Thread.Sleep(ms);
        return 0;
    }

    /// <summary>Starts the plain /bin/sleep binary and exits without waiting for it.</summary>
    public static int BinSleep()
    {
        var child = Process.Start(new ProcessStartInfo("/bin/sleep", "30") { UseShellExecute = false })!;
        Console.WriteLine($"child {child.Id}");
        return 0;
    }

    /// <summary>Runs /bin/true <paramref name="count"/> times, one after another: children shorter than a poll.</summary>
    public static int Brief(int count)
    {
        for (var i = 0; i < count; i++)
        {
            using var child = Process.Start(new ProcessStartInfo("/bin/true") { UseShellExecute = false })!;
            Console.WriteLine($"child {child.Id}");
            child.WaitForExit();
        }
        return 0;
    }

    /// <summary>
    /// A shell starts <paramref name="count"/> short-lived background processes and exits at once:
    /// they end as zombies re-parented to the observer, most of them too brief to be observed.
    /// </summary>
    public static int ShBurst(int count)
    {
        var info = new ProcessStartInfo("/bin/sh") { UseShellExecute = false };
        info.ArgumentList.Add("-c");
        info.ArgumentList.Add($"i=0; while [ $i -lt {count} ]; do /bin/true & i=$((i+1)); done");
        using var shell = Process.Start(info)!;
        shell.WaitForExit();
        Thread.Sleep(100);
        Console.WriteLine($"burst {count}");
        return 0;
    }

    public static int Hang()
    {
        Console.WriteLine("hanging");
        Thread.Sleep(Timeout.Infinite);
        return 0;
    }

    /// <summary>
    /// Burns <paramref name="ms"/> of CPU time (forever when negative): CPU time, not wall time, so a
    /// loaded machine makes the spin longer but never lighter.
    /// </summary>
    public static int Spin(int ms)
    {
        Console.WriteLine("spinning");
        var x = 0UL;
        while (ms < 0 || Environment.CpuUsage.TotalTime.TotalMilliseconds < ms)
        {
            for (var i = 0; i < 100_000; i++)
            {
                x = (x * 6364136223846793005UL) + 1442695040888963407UL;
            }
        }
        Console.WriteLine($"spun {x % 10}");
        return 0;
    }

    /// <summary>Two threads take two locks in opposite order; a barrier makes the deadlock certain.</summary>
    public static int Deadlock()
    {
        var a = new object();
        var b = new object();
        using var bothHoldOne = new Barrier(2);
        var first = new Thread(() => Take(a, b, bothHoldOne)) { Name = "takes-a-then-b" };
        var second = new Thread(() => Take(b, a, bothHoldOne)) { Name = "takes-b-then-a" };
        first.Start();
        second.Start();
        Console.WriteLine("locking");
        first.Join();
        second.Join();
        Console.WriteLine("never printed");
        return 0;

        static void Take(object one, object two, Barrier barrier)
        {
            lock (one)
            {
                barrier.SignalAndWait();
                lock (two)
                {
                    Console.WriteLine("got both");
                }
            }
        }
    }

    /// <summary>Writes to stdout as fast as it can, forever.</summary>
    public static int Flood()
    {
        var line = Encoding.ASCII.GetBytes(new string('x', 1023) + "\n");
        var block = new byte[64 * 1024];
        for (var i = 0; i < block.Length; i += line.Length)
        {
            line.CopyTo(block, i);
        }
        using var stdout = Console.OpenStandardOutput();
        while (true)
        {
            stdout.Write(block);
        }
    }

    public static int Crash(string message)
    {
        Console.WriteLine("about to crash");
        throw new InvalidOperationException(message);
    }

    /// <summary>Starts <paramref name="count"/> named threads that live <paramref name="ms"/>.</summary>
    public static int Threads(int count, int ms)
    {
        var threads = new List<Thread>();
        for (var i = 0; i < count; i++)
        {
            var thread = new Thread(() => Thread.Sleep(ms)) { Name = $"kata-worker-{i}-with-a-long-name" };
            thread.Start();
            threads.Add(thread);
        }
        Console.WriteLine($"started {count}");
        foreach (var thread in threads)
        {
            thread.Join();
        }
        return 0;
    }

    /// <summary>Echoes every stdin line with the monotonic time it was read; says when stdin ends.</summary>
    public static int Read()
    {
        Console.WriteLine($"ready {Now()}");
        string? line;
        while ((line = Console.ReadLine()) is not null)
        {
            Console.WriteLine($"got {Now()} {line}");
        }
        Console.WriteLine($"eof {Now()}");
        return 0;
    }

    /// <summary>
    /// One call to the run's work service, spoken by hand: the verb and name given, from the calling
    /// thread, or naming an idle decoy thread instead. Prints the pid, the thread named and the replies.
    /// </summary>
    public static int Work(string verb, string name, bool decoy)
    {
        var address = Environment.GetEnvironmentVariable("KATA_SERVICE")!;
        var tid = gettid();
        using var idle = new ManualResetEventSlim();
        if (decoy)
        {
            var named = new ManualResetEventSlim();
            var thread = new Thread(() =>
            {
                tid = gettid();
                named.Set();
                idle.Wait();
            });
            thread.Start();
            named.Wait();
        }
        using var socket = new System.Net.Sockets.Socket(
            System.Net.Sockets.AddressFamily.Unix,
            System.Net.Sockets.SocketType.Stream,
            System.Net.Sockets.ProtocolType.Unspecified
        );
        socket.Bind(new System.Net.Sockets.UnixDomainSocketEndPoint("\0dummy-" + Guid.NewGuid().ToString("N")));
        socket.Connect(new System.Net.Sockets.UnixDomainSocketEndPoint("\0" + address[1..]));
        socket.Send(System.Text.Encoding.UTF8.GetBytes($"{verb} {tid} {name}\n"));
        var buffer = new byte[256];
        var read = socket.Receive(buffer);
        var reply = System.Text.Encoding.UTF8.GetString(buffer, 0, read).Trim();
        Console.WriteLine($"called {Environment.ProcessId} {tid} {reply}");
        idle.Set();
        return 0;
    }

    /// <summary>
    /// Starts up to <paramref name="count"/> /bin/sleep children as fast as it can without waiting for
    /// any, then sleeps: a fork storm, bounded by the count whatever contains it. Prints how many
    /// started, and the first failure (a cgroup's pids.max makes fork fail).
    /// </summary>
    public static int ForkStorm(int count)
    {
        var started = 0;
        for (var i = 0; i < count; i++)
        {
            try
            {
                using var child = Process.Start(new ProcessStartInfo("/bin/sleep", "60") { UseShellExecute = false })!;
                started++;
            }
            catch (System.ComponentModel.Win32Exception e)
            {
                Console.WriteLine($"fork failed after {started}: {e.Message}");
                break;
            }
        }
        Console.WriteLine($"started {started}");
        Thread.Sleep(60_000);
        return 0;
    }

    /// <summary>
    /// Leaves a /bin/sleep behind that nothing but a cgroup ties to the run: started through a shell
    /// that exits at once, in a session of its own, with an empty environment (no run marker).
    /// </summary>
    public static int Vanish()
    {
        var info = new ProcessStartInfo("/bin/sh") { UseShellExecute = false, RedirectStandardOutput = true };
        info.ArgumentList.Add("-c");
        info.ArgumentList.Add("/usr/bin/setsid /bin/sleep 60 >/dev/null 2>&1 </dev/null & echo $!");
        info.Environment.Clear();
        using var shell = Process.Start(info)!;
        var pid = shell.StandardOutput.ReadLine();
        shell.WaitForExit();
        Console.WriteLine($"child {pid}");
        return 0;
    }

    /// <summary>Starts <paramref name="count"/> threads one after another, each ending at once; prints "thread &lt;tid&gt;" for each.</summary>
    public static int BriefThreads(int count)
    {
        var tids = new int[count];
        for (var i = 0; i < count; i++)
        {
            var index = i;
            var thread = new Thread(() => tids[index] = gettid());
            thread.Start();
            thread.Join();
        }
        foreach (var tid in tids)
        {
            Console.WriteLine($"thread {tid}");
        }
        return 0;
    }

    public static int Usage()
    {
        Console.Error.WriteLine("usage: Dummy <mode> [args]; see Program.cs for the modes");
        return 64;
    }

    private static long Now() => (long)(Stopwatch.GetTimestamp() * (1_000_000_000.0 / Stopwatch.Frequency));

    private static ProcessStartInfo Self(params string[] arguments)
    {
        var info = new ProcessStartInfo(Environment.ProcessPath!) { UseShellExecute = false };
        if (Path.GetFileNameWithoutExtension(Environment.ProcessPath) == "dotnet")
        {
            info.ArgumentList.Add(typeof(Modes).Assembly.Location);
        }
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }
        return info;
    }

    private static int? SessionOf(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return fields[0] == "Z" ? null : int.Parse(fields[3], CultureInfo.InvariantCulture);
        }
        catch (IOException)
        {
            return null;
        }
    }

    [LibraryImport("libc")]
    private static partial int setsid();

    [LibraryImport("libc")]
    private static partial int gettid();
}
