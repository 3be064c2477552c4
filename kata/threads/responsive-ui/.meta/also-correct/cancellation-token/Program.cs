// Exercise 12: responsive-ui, solved with a foreground worker that "quit" cancels and joins: the
// download stops cleanly instead of being cut off with the process.

var busy = 0;
using var quitting = new CancellationTokenSource();
Thread? worker = null;

Console.WriteLine("ready");
while (Console.ReadLine() is { } line)
{
    switch (line.Split(' ', StringSplitOptions.RemoveEmptyEntries))
    {
        case ["download", var name]:
            if (Interlocked.CompareExchange(ref busy, 1, 0) != 0)
            {
                Console.WriteLine("busy");
                break;
            }
            worker = new Thread(() => Download(name, quitting.Token));
            Console.WriteLine($"started {name}");
            worker.Start();
            break;
        case ["about"]:
            Console.WriteLine("about: a console that stays responsive while it downloads");
            break;
        case ["quit"]:
            quitting.Cancel();
            worker?.Join();
            return 0;
        case []:
            break;
        default:
            Console.WriteLine($"unknown command: {line}");
            break;
    }
}
return 0;

void Download(string name, CancellationToken token)
{
    try
    {
        Kata.Download(name, token);
        Interlocked.Exchange(ref busy, 0);
        Console.WriteLine($"done {name}");
    }
    catch (OperationCanceledException)
    {
        Console.WriteLine($"cancelled {name}");
    }
}
