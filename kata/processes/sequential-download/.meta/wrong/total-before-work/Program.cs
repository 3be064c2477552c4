// Mistake: the total is printed before the downloads run.
using System.Diagnostics;
using System.Globalization;

var clock = Stopwatch.StartNew();
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"total {clock.Elapsed.TotalSeconds:0.00} s"));
foreach (var name in args)
{
    Console.WriteLine($"start {name}");
    Kata.Download(name);
    Console.WriteLine($"finish {name}");
}
