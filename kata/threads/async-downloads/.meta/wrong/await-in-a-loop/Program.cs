using System.Diagnostics;
using System.Globalization;

if (args.Length != 1 || !int.TryParse(args[0], CultureInfo.InvariantCulture, out var count) || count < 1)
{
    Console.Error.WriteLine("usage: async-downloads <count>");
    return 2;
}

var clock = Stopwatch.StartNew();
for (var i = 1; i <= count; i++)
{
    // Each download is awaited before the next one starts.
    await Kata.DownloadAsync($"file-{i}");
}
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"total {clock.Elapsed.TotalSeconds:0.00} s"));
return 0;
