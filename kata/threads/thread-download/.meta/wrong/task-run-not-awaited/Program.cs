using System.Diagnostics;
using System.Globalization;

var clock = Stopwatch.StartNew();
foreach (var name in args)
{
    // The task is started but never awaited.
    _ = Task.Run(() => Download(name));
}
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"total {clock.Elapsed.TotalSeconds:0.00} s"));

static void Download(string name)
{
    Console.WriteLine($"start {name} thread={Environment.CurrentManagedThreadId}");
    Kata.Download(name);
    Console.WriteLine($"finish {name} thread={Environment.CurrentManagedThreadId}");
}
