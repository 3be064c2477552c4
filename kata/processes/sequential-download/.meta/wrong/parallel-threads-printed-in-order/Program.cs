using System.Diagnostics;
using System.Globalization;

var clock = Stopwatch.StartNew();
var downloads = args.Select(name => new Thread(() => Kata.Download(name))).ToList();
downloads.ForEach(thread => thread.Start());
for (var i = 0; i < args.Length; i++)
{
    var name = args[i];
    Console.WriteLine($"start {name}");
    downloads[i].Join();
    Console.WriteLine($"finish {name}");
}
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"total {clock.Elapsed.TotalSeconds:0.00} s"));
