// Exercise 12: responsive-ui. Instructions: README.md (English) / README.zh-CN.md (简体中文).
// Run it by hand:  dotnet run   then type commands: download big.iso, about, download other.iso, quit

// A busy flag that can never help: the download runs on the thread that reads the commands, so
// nothing is read while it runs, and by the time the next command is read it is over.
var busy = false;

Console.WriteLine("ready");
while (Console.ReadLine() is { } line)
{
    switch (line.Split(' ', StringSplitOptions.RemoveEmptyEntries))
    {
        case ["download", var name]:
            if (busy)
            {
                Console.WriteLine("busy");
                break;
            }
            busy = true;
            Console.WriteLine($"started {name}");
            Download(name);
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
    busy = false;
    Console.WriteLine($"done {name}");
}
