// Mistake: threads instead of processes; every "worker" reports the main process's id.
using System.Diagnostics;
using System.Globalization;

var clock = Stopwatch.StartNew();
var workers = new List<Thread>();
foreach (var name in args)
{
    var thread = new Thread(() =>
    {
        Console.WriteLine($"start {name} pid={Environment.ProcessId}");
        Kata.Download(name);
        Console.WriteLine($"finish {name} pid={Environment.ProcessId}");
    });
    thread.Start();
    workers.Add(thread);
}
foreach (var thread in workers)
{
    thread.Join();
}
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"total {clock.Elapsed.TotalSeconds:0.00} s"));
