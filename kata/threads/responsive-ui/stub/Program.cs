// Exercise 12: responsive-ui. Instructions: README.md (English) / README.zh-CN.md (简体中文).
// Run it by hand:  dotnet run   then type commands: download big.iso, about, download other.iso, quit

// TODO: a busy flag, shared by the command loop and the worker thread: set while a download runs.

Console.WriteLine("ready");
while (Console.ReadLine() is { } line)
{
    switch (line.Split(' ', StringSplitOptions.RemoveEmptyEntries))
    {
        case ["download", var name]:
            // TODO: while a download is running, answer "busy" and start nothing.
            Console.WriteLine($"started {name}");
            // TODO: run the download on a worker thread of its own (new Thread(...), Start()), so that this
            //       loop goes straight back to reading commands. "quit" must still end the program at once.
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
    // TODO: clear the busy flag here, before printing "done", so that the next "download" is accepted.
    Console.WriteLine($"done {name}");
}
