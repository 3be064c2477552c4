// Mistake: every file is downloaded by the main process itself, one after the other, as in exercise 1.
using System.Diagnostics;
using System.Globalization;

var clock = Stopwatch.StartNew();
foreach (var name in args)
{
    Console.WriteLine($"start {name} pid={Environment.ProcessId}");
    Kata.Download(name);
    Console.WriteLine($"finish {name} pid={Environment.ProcessId}");
}
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"total {clock.Elapsed.TotalSeconds:0.00} s"));
