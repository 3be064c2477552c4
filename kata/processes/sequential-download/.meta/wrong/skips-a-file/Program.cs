// Mistake: an off-by-one loop skips the last file.
using System.Diagnostics;
using System.Globalization;

var clock = Stopwatch.StartNew();
for (var i = 0; i < args.Length - 1; i++)
{
    Console.WriteLine($"start {args[i]}");
    Kata.Download(args[i]);
    Console.WriteLine($"finish {args[i]}");
}
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"total {clock.Elapsed.TotalSeconds:0.00} s"));
