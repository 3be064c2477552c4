using System.Diagnostics;
using System.Globalization;

return args switch
{
    ["separate", var n] => Separate(int.Parse(n, CultureInfo.InvariantCulture)),
    ["pipes", var n] => Pipes(int.Parse(n, CultureInfo.InvariantCulture)),
    ["counter", var word, var n] => Counter(word, int.Parse(n, CultureInfo.InvariantCulture)),
    ["player", var word, var n] => Player(word, int.Parse(n, CultureInfo.InvariantCulture)),
    _ => Usage(),
};

static int Separate(int n)
{
    var count = n.ToString(CultureInfo.InvariantCulture);
    using var ping = Process.Start(Kata.WorkerStartInfo("counter", "Ping", count))!;
    using var pong = Process.Start(Kata.WorkerStartInfo("counter", "Pong", count))!;
    ping.WaitForExit();
    pong.WaitForExit();
    return 0;
}

static int Counter(string word, int n)
{
    while (Shared.Counter < n)
    {
        Shared.Counter++;
        Console.WriteLine($"{word} {Shared.Counter} pid={Environment.ProcessId}");
        Thread.Sleep(10);
    }
    return 0;
}

// Part B done like part A: each player counts with its "shared" counter, so each counts to N alone.
static int Pipes(int n)
{
    var count = n.ToString(CultureInfo.InvariantCulture);
    using var ping = Process.Start(Kata.WorkerStartInfo("player", "Ping", count))!;
    using var pong = Process.Start(Kata.WorkerStartInfo("player", "Pong", count))!;
    ping.WaitForExit();
    pong.WaitForExit();
    return 0;
}

static int Player(string word, int n)
{
    while (Shared.Counter < n)
    {
        Shared.Counter++;
        Kata.TakeTurn(Shared.Counter);
        Console.WriteLine($"{word} {Shared.Counter} pid={Environment.ProcessId}");
    }
    return 0;
}

static int Usage()
{
    Console.Error.WriteLine("usage: PingPong separate N | PingPong pipes N");
    return 2;
}

static class Shared
{
    public static int Counter;
}
