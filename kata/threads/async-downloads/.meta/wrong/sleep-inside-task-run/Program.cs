using System.Diagnostics;
using System.Globalization;

if (args.Length != 1 || !int.TryParse(args[0], CultureInfo.InvariantCulture, out var count) || count < 1)
{
    Console.Error.WriteLine("usage: async-downloads <count>");
    return 2;
}

var clock = Stopwatch.StartNew();
var downloads = new List<Task>();
for (var i = 1; i <= count; i++)
{
    var name = $"file-{i}";
    // Kata.Download blocks its thread (a Thread.Sleep inside): every download holds a pool thread while it waits.
    downloads.Add(Task.Run(() => Kata.Download(name)));
}

await Task.WhenAll(downloads);
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"total {clock.Elapsed.TotalSeconds:0.00} s"));
return 0;
