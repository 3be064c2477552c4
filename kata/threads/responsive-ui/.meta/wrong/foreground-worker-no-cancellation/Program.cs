// Exercise 12: responsive-ui. Instructions: README.md (English) / README.zh-CN.md (简体中文).
// Run it by hand:  dotnet run   then type commands: download big.iso, about, download other.iso, quit

// 1 while a download runs. The command loop sets it, the worker thread clears it: Interlocked makes
// the check-and-set one step, and the clear visible to the loop at once.
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
            // A foreground thread, and nothing stops it: after "quit", the process waits for the download.
            var worker = new Thread(() => Download(name));
            Console.WriteLine($"started {name}");
            worker.Start();
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

void Download(string name)
{
    Kata.Download(name);
    // Free before saying so: a "download" sent right after "done" must be accepted.
    Interlocked.Exchange(ref busy, 0);
    Console.WriteLine($"done {name}");
}
