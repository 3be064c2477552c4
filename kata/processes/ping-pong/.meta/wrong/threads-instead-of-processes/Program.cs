// Threads instead of processes: both parts run their workers as threads of the main process.
// Part A's counter is then really shared (N lines, not 2N), and every line carries one pid.
using System.Globalization;

switch (args)
{
    case ["separate", var n]:
        Separate(int.Parse(n, CultureInfo.InvariantCulture));
        return 0;
    case ["pipes", var n]:
        Pipes(int.Parse(n, CultureInfo.InvariantCulture));
        return 0;
    default:
        Console.Error.WriteLine("usage: PingPong separate N | PingPong pipes N");
        return 2;
}

static void Separate(int n)
{
    var ping = new Thread(() => Counter("Ping", n));
    var pong = new Thread(() => Counter("Pong", n));
    ping.Start();
    pong.Start();
    ping.Join();
    pong.Join();
}

static void Counter(string word, int n)
{
    while (Shared.Counter < n)
    {
        Shared.Counter++;
        Console.WriteLine($"{word} {Shared.Counter} pid={Environment.ProcessId}");
        Thread.Sleep(10);
    }
}

static void Pipes(int n)
{
    using var pingsTurn = new SemaphoreSlim(1);
    using var pongsTurn = new SemaphoreSlim(0);
    var ping = new Thread(() => Player("Ping", 1, n, pingsTurn, pongsTurn));
    var pong = new Thread(() => Player("Pong", 2, n, pongsTurn, pingsTurn));
    ping.Start();
    pong.Start();
    ping.Join();
    pong.Join();
}

static void Player(string word, int first, int n, SemaphoreSlim mine, SemaphoreSlim theirs)
{
    for (var turn = first; turn <= n; turn += 2)
    {
        mine.Wait();
        Kata.TakeTurn(turn);
        Console.WriteLine($"{word} {turn} pid={Environment.ProcessId}");
        theirs.Release();
    }
}

static class Shared
{
    public static int Counter;
}
