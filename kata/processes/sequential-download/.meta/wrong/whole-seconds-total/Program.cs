using System.Diagnostics;
using System.Globalization;

var clock = Stopwatch.StartNew();
foreach (var name in args)
{
    Console.WriteLine($"start {name}");
    Kata.Download(name);
    Console.WriteLine($"finish {name}");
}
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"total {clock.Elapsed.Seconds:0.00} s"));
