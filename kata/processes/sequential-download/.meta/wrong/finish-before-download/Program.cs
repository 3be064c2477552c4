using System.Diagnostics;
using System.Globalization;

var clock = Stopwatch.StartNew();
foreach (var name in args)
{
    Console.WriteLine($"start {name}");
    Console.WriteLine($"finish {name}");
    Kata.Download(name);
}
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"total {clock.Elapsed.TotalSeconds:0.00} s"));
