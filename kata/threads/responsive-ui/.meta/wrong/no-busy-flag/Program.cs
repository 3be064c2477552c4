// Exercise 12: responsive-ui. Instructions: README.md (English) / README.zh-CN.md (简体中文).
// Run it by hand:  dotnet run   then type commands: download big.iso, about, download other.iso, quit

Console.WriteLine("ready");
while (Console.ReadLine() is { } line)
{
    switch (line.Split(' ', StringSplitOptions.RemoveEmptyEntries))
    {
        case ["download", var name]:
            // No busy flag: every "download" starts one more, even while another is running.
            // A background thread: "quit" ends the process at once, even in the middle of a download.
            var worker = new Thread(() => Download(name)) { IsBackground = true };
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

static void Download(string name)
{
    Kata.Download(name);
    Console.WriteLine($"done {name}");
}
