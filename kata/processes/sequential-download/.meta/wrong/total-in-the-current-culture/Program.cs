using System.Diagnostics;

var clock = Stopwatch.StartNew();
foreach (var name in args)
{
    Console.WriteLine($"start {name}");
    Kata.Download(name);
    Console.WriteLine($"finish {name}");
}
Console.WriteLine($"total {clock.Elapsed.TotalSeconds:0.00} s");
