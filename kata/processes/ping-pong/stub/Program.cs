// Exercise 3: ping-pong. Instructions: README.md (English) / README.zh-CN.md (简体中文).
// Run it by hand:  dotnet run -- separate 5     (part A)
//                  dotnet run -- pipes 7        (part B)
//
// Part A, in your own words (not graded): both children use the same static Shared.Counter and
// stop when it reaches N. Why do they print 2N lines between them, not N?
// TODO: answer here in two or three sentences.
using System.Diagnostics;
using System.Globalization;

return args switch
{
    ["separate", var n] => Separate(int.Parse(n, CultureInfo.InvariantCulture)),
    ["pipes", var n] => Pipes(int.Parse(n, CultureInfo.InvariantCulture)),
    // The workers: the same program, started again with other arguments. Add arguments if your design needs them.
    ["counter", var word, var n] => Counter(word, int.Parse(n, CultureInfo.InvariantCulture)),
    ["player", var word] => Player(word),
    _ => Usage(),
};

// Part A, the main process.
static int Separate(int n)
{
    // TODO: start two counter workers as child processes, for example
    //       Process.Start(Kata.WorkerStartInfo("counter", "Ping", n.ToString(CultureInfo.InvariantCulture)))
    //       and the same with "Pong"; then wait for both with WaitForExit.
    return 0;
}

// Part A, a counter worker.
static int Counter(string word, int n)
{
    while (Shared.Counter < n)
    {
        Shared.Counter++;
        // TODO: print "<word> <counter> pid=<the id of this process>", for example "Ping 3 pid=4242".
        Thread.Sleep(10);
    }
    return 0;
}

// Part B, the main process: the game master. Ping takes the odd turns, Pong the even ones.
static int Pipes(int n)
{
    // TODO: start two player workers ("player", "Ping" and "player", "Pong") as child processes that
    //       you can talk to: set RedirectStandardInput and RedirectStandardOutput on the start info
    //       (or hand them anonymous pipes, see hints.md).
    // TODO: for each turn from 1 to n: send the turn number to the player whose turn it is, read the
    //       line it sends back, and print that line.
    // TODO: send both players the stop message, then wait for both to exit (WaitForExit, no polling).
    return 0;
}

// Part B, a player worker.
static int Player(string word)
{
    // TODO: repeat until the stop message arrives: read a turn number from your pipe (Console.ReadLine
    //       when stdin is redirected), call Kata.TakeTurn(turn), then send back your line
    //       "<word> <turn> pid=<the id of this process>".
    return 0;
}

static int Usage()
{
    Console.Error.WriteLine("usage: PingPong separate N | PingPong pipes N");
    return 2;
}

static class Shared
{
    // One counter for the whole program... or is it?
    public static int Counter;
}
