using System.Diagnostics;
using System.Globalization;

var clock = Stopwatch.StartNew();
var threads = new List<Thread>();
foreach (var name in args)
{
    var thread = new Thread(() => Download(name)) { IsBackground = true };
    thread.Start();
    threads.Add(thread);
}
for (var i = 0; i < threads.Count - 1; i++)
{
    threads[i].Join();
}
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"total {clock.Elapsed.TotalSeconds:0.00} s"));

static void Download(string name)
{
    Console.WriteLine($"start {name} thread={Environment.CurrentManagedThreadId}");
    Kata.Download(name);
    Console.WriteLine($"finish {name} thread={Environment.CurrentManagedThreadId}");
}
