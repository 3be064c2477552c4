// Exercise 12: responsive-ui, solved with a task: the download waits asynchronously on the thread
// pool (background threads), and the command loop never awaits it.

var busy = 0;

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
            Console.WriteLine($"started {name}");
            _ = Task.Run(() => DownloadAsync(name));
            break;
        case ["about"]:
            Console.WriteLine("about: a console that stays responsive while it downloads");
            break;
        case ["quit"]:
            return 0;
        case []:
            break;
        default:
            Console.WriteLine($"unknown command: {line}");
            break;
    }
}
return 0;

async Task DownloadAsync(string name)
{
    await Kata.DownloadAsync(name);
    Interlocked.Exchange(ref busy, 0);
    Console.WriteLine($"done {name}");
}
