using System.Diagnostics;
using System.Globalization;

if (args.Length != 1 || !int.TryParse(args[0], CultureInfo.InvariantCulture, out var count) || count < 1)
{
    Console.Error.WriteLine("usage: async-downloads <count>");
    return 2;
}

var clock = Stopwatch.StartNew();
var threads = new List<Thread>();
for (var i = 1; i <= count; i++)
{
    var name = $"file-{i}";
    var thread = new Thread(() => Kata.Download(name));
    thread.Start();
    threads.Add(thread);
}
foreach (var thread in threads)
{
    thread.Join();
}
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"total {clock.Elapsed.TotalSeconds:0.00} s"));
return 0;
