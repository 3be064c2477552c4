using System.Diagnostics;
using System.Globalization;

var clock = Stopwatch.StartNew();
var lines = new List<string>();
foreach (var name in args)
{
    lines.Add($"start {name}");
    Kata.Download(name);
    lines.Add($"finish {name}");
}
foreach (var line in lines)
{
    Console.WriteLine(line);
}
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"total {clock.Elapsed.TotalSeconds:0.00} s"));
