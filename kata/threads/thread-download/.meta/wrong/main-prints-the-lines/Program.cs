using System.Diagnostics;
using System.Globalization;

var clock = Stopwatch.StartNew();
var threads = new List<(string Name, Thread Thread)>();
foreach (var name in args)
{
    var thread = new Thread(() => Download(name));
    thread.Start();
    Console.WriteLine($"start {name} thread={thread.ManagedThreadId}");
    threads.Add((name, thread));
}
foreach (var (name, thread) in threads)
{
    thread.Join();
    Console.WriteLine($"finish {name} thread={thread.ManagedThreadId}");
}
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"total {clock.Elapsed.TotalSeconds:0.00} s"));

static void Download(string name)
{
    Kata.Download(name);
}
