// Exercise 12: responsive-ui. Instructions: README.md (English) / README.zh-CN.md (简体中文).
// Run it by hand:  dotnet run   then type commands: download big.iso, about, download other.iso, quit

// The loop downloads on the main thread (it is frozen during a download). A timer, started with each
// download, prints the answers a responsive program would give meanwhile, and the loop later skips the
// commands the timer already answered.
var aboutAnswered = 0;
var busyAnswered = 0;
var downloadsStarted = 0;
Timer? timer = null;

Console.WriteLine("ready");
while (Console.ReadLine() is { } line)
{
    switch (line.Split(' ', StringSplitOptions.RemoveEmptyEntries))
    {
        case ["download", var name]:
            if (Interlocked.Exchange(ref busyAnswered, 0) != 0)
            {
                break; // already answered "busy" by the timer
            }
            Console.WriteLine($"started {name}");
            var nth = ++downloadsStarted;
            var ticks = 0;
            timer = new Timer(
                _ =>
                {
                    switch (++ticks)
                    {
                        case 1 when nth == 1:
                            Console.WriteLine("about: a console that stays responsive while it downloads");
                            Interlocked.Increment(ref aboutAnswered);
                            break;
                        case 1:
                            // "quit" is expected shortly after a later download started.
                            Environment.Exit(0);
                            break;
                        case 2:
                            Console.WriteLine("busy");
                            Interlocked.Increment(ref busyAnswered);
                            break;
                    }
                },
                null,
                nth == 1 ? 400 : 900,
                350
            );
            Download(name);
            timer.Dispose();
            break;
        case ["about"]:
            if (Interlocked.Exchange(ref aboutAnswered, 0) != 0)
            {
                break; // already answered by the timer
            }
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
    Console.WriteLine($"done {name}");
}
