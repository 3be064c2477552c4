// Why part A prints 2N lines: each child is a separate process with its own copy of the whole
// program's memory, statics included. Process.Start does not share Shared.Counter; each child gets
// a fresh one that starts at 0, so each counts to N on its own. Threads of one process would share
// it; processes have to send each other messages (pipes) to cooperate.
using System.Diagnostics;
using System.Globalization;

return args switch
{
    ["separate", var n] => Separate(int.Parse(n, CultureInfo.InvariantCulture)),
    ["pipes", var n] => Pipes(int.Parse(n, CultureInfo.InvariantCulture)),
    ["counter", var word, var n] => Counter(word, int.Parse(n, CultureInfo.InvariantCulture)),
    ["player", var word] => Player(word),
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

// The main process is the go-between: it hands each turn to one player over that player's stdin
// pipe, and the line the player writes back on its stdout pipe is the sign that the turn is over.
static int Pipes(int n)
{
    using var ping = StartPlayer("Ping");
    using var pong = StartPlayer("Pong");
    for (var turn = 1; turn <= n; turn++)
    {
        var player = turn % 2 == 1 ? ping : pong;
        player.StandardInput.WriteLine(turn.ToString(CultureInfo.InvariantCulture));
        var line =
            player.StandardOutput.ReadLine() ?? throw new InvalidOperationException($"player {player.Id} quit early");
        Console.WriteLine(line);
    }
    foreach (var player in new[] { ping, pong })
    {
        player.StandardInput.WriteLine("stop");
    }
    ping.WaitForExit();
    pong.WaitForExit();
    return 0;
}

static Process StartPlayer(string word)
{
    var info = Kata.WorkerStartInfo("player", word);
    info.RedirectStandardInput = true;
    info.RedirectStandardOutput = true;
    return Process.Start(info)!;
}

static int Player(string word)
{
    // Mistake: the player does not stop on the stop message; it ends when no turn came for 1.2 seconds.
    var last = Stopwatch.StartNew();
    var reader = new Thread(() =>
    {
        while (Console.ReadLine() is { } message)
        {
            if (int.TryParse(message, CultureInfo.InvariantCulture, out var turn))
            {
                Kata.TakeTurn(turn);
                Console.WriteLine($"{word} {turn} pid={Environment.ProcessId}");
                last.Restart();
            }
        }
    })
    {
        IsBackground = true,
    };
    reader.Start();
    while (last.Elapsed < TimeSpan.FromSeconds(1.2))
    {
        Thread.Sleep(100);
    }
    Environment.Exit(0);
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
