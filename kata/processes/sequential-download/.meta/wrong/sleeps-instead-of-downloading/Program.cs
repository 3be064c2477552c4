using System.Diagnostics;
using System.Globalization;

var clock = Stopwatch.StartNew();
var first = true;
foreach (var name in args)
{
    Console.WriteLine($"start {name}");
    if (first)
    {
        Kata.Download(name);
        first = false;
    }
    else
    {
        Thread.Sleep(TimeSpan.FromSeconds(1)); // "about as long as a download takes"
    }
    Console.WriteLine($"finish {name}");
}
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"total {clock.Elapsed.TotalSeconds:0.00} s"));
